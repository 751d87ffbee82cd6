import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 6962 §2.1 (Certificate Transparency), over the heads of fitment streams.
 * Leaves are hashed with a 0x00 prefix and nodes with 0x01, so a leaf can never pass for a node.
 * A tree of n > 1 leaves splits at k, the largest power of two below n; the empty tree's hash is
 * SHA-256 of no bytes. Hashes are raw 32-byte Buffers here; callers show them as lower-case hex.
 */

export interface StreamHead {
  streamId: string;
  /** The `metadata.hash` of the stream's last event at the checkpoint's position (64 hex digits). */
  hash: string;
}

const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);
const SEPARATOR = Buffer.from([0x00]);

/** SHA-256(0x00 || UTF-8(stream id) || 0x00 || the head's 32 hash bytes). */
export function leafHash(head: StreamHead): Buffer {
  if (!/^[0-9a-f]{64}$/.test(head.hash)) throw new TypeError(`head of ${head.streamId} is not a 64-digit lower-case hex hash`);
  return sha256(LEAF, Buffer.from(head.streamId, 'utf8'), SEPARATOR, Buffer.from(head.hash, 'hex'));
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE, left, right);
}

/** Sorted by the bytes of the stream id's UTF-8, the order every verifier must use. */
export function sortHeads(heads: Iterable<StreamHead>): StreamHead[] {
  return [...heads].sort((a, b) => Buffer.compare(Buffer.from(a.streamId, 'utf8'), Buffer.from(b.streamId, 'utf8')));
}

/** The largest power of two strictly below n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes already computed, in order. */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return nodeHash(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1: the sibling hashes from the leaf up to the root. */
export function auditPath(index: number, leaves: readonly Buffer[]): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = splitPoint(leaves.length);
  return index < k
    ? [...auditPath(index, leaves.slice(0, k)), merkleRoot(leaves.slice(k))]
    : [...auditPath(index - k, leaves.slice(k)), merkleRoot(leaves.slice(0, k))];
}

/**
 * Whether `leaf` at `index` of a tree of `treeSize` leaves, with this audit path, gives `root`
 * (the verification algorithm of RFC 9162 §2.1.3.2, which reads RFC 6962 paths).
 */
export function verifyInclusion(leaf: Buffer, index: number, treeSize: number, path: readonly Buffer[], root: Buffer): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let hash = leaf;
  for (const sibling of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hash.equals(root);
}

/** The tree of a set of stream heads: leaves in stream id order, the root, and proofs by stream. */
export class StreamHeadTree {
  readonly heads: readonly StreamHead[];
  private readonly leaves: Buffer[];
  private readonly indexByStream: Map<string, number>;
  readonly root: Buffer;

  constructor(heads: Iterable<StreamHead>) {
    this.heads = sortHeads(heads);
    this.leaves = this.heads.map(leafHash);
    this.indexByStream = new Map(this.heads.map((head, index) => [head.streamId, index]));
    if (this.indexByStream.size !== this.heads.length) throw new TypeError('a stream appears twice among the heads');
    this.root = merkleRoot(this.leaves);
  }

  get rootHex(): string {
    return this.root.toString('hex');
  }

  /** undefined when the stream had no event at the tree's position. */
  inclusionProof(streamId: string): InclusionProof | undefined {
    const index = this.indexByStream.get(streamId);
    if (index === undefined) return undefined;
    return {
      streamId,
      head: this.heads[index]!.hash,
      leafIndex: index,
      treeSize: this.leaves.length,
      auditPath: auditPath(index, this.leaves).map((hash) => hash.toString('hex')),
    };
  }
}

/** What a rider needs to check that a stream's head is in a checkpoint's tree. */
export interface InclusionProof {
  streamId: string;
  head: string;
  leafIndex: number;
  treeSize: number;
  /** Lower-case hex, from the leaf's sibling up to the root's child. */
  auditPath: string[];
}

export function verifyInclusionProof(proof: InclusionProof, rootHex: string): boolean {
  return verifyInclusion(
    leafHash({ streamId: proof.streamId, hash: proof.head }),
    proof.leafIndex,
    proof.treeSize,
    proof.auditPath.map((hex) => Buffer.from(hex, 'hex')),
    Buffer.from(rootHex, 'hex'),
  );
}
