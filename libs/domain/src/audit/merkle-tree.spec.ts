import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { StreamHeadTree, auditPath, leafHash, merkleRoot, sortHeads, verifyInclusion, verifyInclusionProof, type StreamHead } from './merkle-tree.js';

// Written out by hand from the recipe, independently of merkle-tree.ts.
const h = (...hex: string[]) => createHash('sha256').update(Buffer.from(hex.join(''), 'hex')).digest('hex');
const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('hex');
const leaf = (streamId: string, head: string) => h('00', utf8(streamId), '00', head);
const node = (left: string, right: string) => h('01', left, right);

const heads: StreamHead[] = ['a', 'b', 'c', 'd', 'e'].map((letter, i) => ({
  streamId: `fitment-${letter}`,
  hash: createHash('sha256').update(`head ${i}`).digest('hex'),
}));
const leaves = heads.map((head) => leaf(head.streamId, head.hash));
const [a, b, c, d, e] = leaves as [string, string, string, string, string];

describe('Merkle tree over stream heads (RFC 6962)', () => {
  it('hashes the empty tree as SHA-256 of no bytes', () => {
    expect(new StreamHeadTree([]).rootHex).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('given one leaf, the root is the leaf hash 0x00 || stream id || 0x00 || head bytes', () => {
    expect(new StreamHeadTree(heads.slice(0, 1)).rootHex).toBe(a);
  });

  it('given two, three and five leaves, the root splits at the largest power of two below n', () => {
    expect(new StreamHeadTree(heads.slice(0, 2)).rootHex).toBe(node(a, b));
    expect(new StreamHeadTree(heads.slice(0, 3)).rootHex).toBe(node(node(a, b), c));
    expect(new StreamHeadTree(heads).rootHex).toBe(node(node(node(a, b), node(c, d)), e));
  });

  it('sorts leaves by the UTF-8 bytes of the stream id, whatever order the heads come in', () => {
    const shuffled = [heads[3]!, heads[0]!, heads[4]!, heads[2]!, heads[1]!];
    expect(new StreamHeadTree(shuffled).rootHex).toBe(new StreamHeadTree(heads).rootHex);
    // Byte order, not locale order: "Z" (0x5a) sorts before "a" (0x61), "é" (0xc3 0xa9) after "z".
    expect(sortHeads([{ streamId: 'é', hash: a }, { streamId: 'a', hash: a }, { streamId: 'Z', hash: a }]).map((x) => x.streamId)).toEqual(['Z', 'a', 'é']);
  });

  it('refuses a stream listed twice', () => {
    expect(() => new StreamHeadTree([heads[0]!, heads[0]!])).toThrow(/twice/);
  });

  it('gives the RFC 6962 audit path of a leaf', () => {
    const all = leaves.map((hex) => Buffer.from(hex, 'hex'));
    expect(auditPath(2, all).map((x) => x.toString('hex'))).toEqual([d, node(a, b), e]);
    expect(auditPath(4, all).map((x) => x.toString('hex'))).toEqual([node(node(a, b), node(c, d))]);
  });

  it('verifies an inclusion proof of every leaf in trees of 1 to 9 leaves, and no proof with a wrong leaf, index or root', () => {
    for (let size = 1; size <= 9; size++) {
      const all = Array.from({ length: size }, (_, i) => leafHash({ streamId: `fitment-${i}`, hash: h(i.toString(16).padStart(2, '0')) }));
      const root = merkleRoot(all);
      for (let index = 0; index < size; index++) {
        const path = auditPath(index, all);
        expect(verifyInclusion(all[index]!, index, size, path, root)).toBe(true);
        expect(verifyInclusion(Buffer.alloc(32), index, size, path, root)).toBe(false);
        expect(verifyInclusion(all[index]!, index, size, path, Buffer.alloc(32))).toBe(false);
        if (size > 1) expect(verifyInclusion(all[index]!, (index + 1) % size, size, path, root)).toBe(false);
      }
    }
  });

  it('gives a proof by stream id that verifies against the root, and none for an absent stream', () => {
    const tree = new StreamHeadTree(heads);
    const proof = tree.inclusionProof('fitment-c')!;
    expect(proof).toMatchObject({ streamId: 'fitment-c', head: heads[2]!.hash, leafIndex: 2, treeSize: 5 });
    expect(verifyInclusionProof(proof, tree.rootHex)).toBe(true);
    expect(verifyInclusionProof({ ...proof, head: heads[3]!.hash }, tree.rootHex)).toBe(false);
    expect(verifyInclusionProof({ ...proof, streamId: 'fitment-x' }, tree.rootHex)).toBe(false);
    expect(tree.inclusionProof('fitment-x')).toBeUndefined();
  });
});
