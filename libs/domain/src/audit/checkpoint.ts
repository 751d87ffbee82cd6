import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../identity/canonical-json.js';
import { StreamHeadTree, type StreamHead } from './merkle-tree.js';

/**
 * A signed statement of every fitment stream's head as of a log position (DESIGN §10 "Audit
 * anchors"). The signature is Ed25519 over the UTF-8 bytes of the RFC 8785 canonical JSON of
 * exactly these four members.
 */
export interface Checkpoint {
  /** Merkle root (RFC 6962) of the stream heads, lower-case hex. */
  root: string;
  /** How many streams (leaves) the tree has. */
  streams: number;
  /** The log position the heads are taken at, inclusive, as a decimal string (positions exceed 2^53). */
  position: string;
  /** ISO-8601 UTC instant the checkpoint was made. */
  createdAt: string;
}

export interface SignedCheckpoint {
  checkpoint: Checkpoint;
  /** Base64 Ed25519 signature of `checkpointBytes(checkpoint)`. */
  signature: string;
}

export function checkpointOf(heads: Iterable<StreamHead>, position: bigint, createdAt: Date): { checkpoint: Checkpoint; tree: StreamHeadTree } {
  const tree = new StreamHeadTree(heads);
  return { checkpoint: { root: tree.rootHex, streams: tree.heads.length, position: position.toString(), createdAt: createdAt.toISOString() }, tree };
}

/** The signed bytes; only the four members count, whatever else the object carries. */
export function checkpointBytes({ root, streams, position, createdAt }: Checkpoint): Buffer {
  return Buffer.from(canonicalJson({ root, streams, position, createdAt }), 'utf8');
}

export function signCheckpoint(checkpoint: Checkpoint, privateKey: KeyObject): SignedCheckpoint {
  return { checkpoint, signature: sign(null, checkpointBytes(checkpoint), privateKey).toString('base64') };
}

/** False for a bad signature, a key that is not Ed25519, or a malformed checkpoint; never throws on input. */
export function verifyCheckpointSignature({ checkpoint, signature }: SignedCheckpoint, publicKey: KeyObject | string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    if (key.asymmetricKeyType !== 'ed25519' || !isCheckpoint(checkpoint)) return false;
    return verify(null, checkpointBytes(checkpoint), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function isCheckpoint(value: unknown): value is Checkpoint {
  const c = value as Partial<Checkpoint> | null;
  return (
    typeof c === 'object' && c !== null &&
    typeof c.root === 'string' && /^[0-9a-f]{64}$/.test(c.root) &&
    typeof c.streams === 'number' && Number.isSafeInteger(c.streams) && c.streams >= 0 &&
    typeof c.position === 'string' && /^(0|[1-9]\d*)$/.test(c.position) &&
    typeof c.createdAt === 'string'
  );
}

/** SPKI PEM of the public half, what GET /api/audit/public-key publishes. */
export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Names a key in checkpoint events and witness files: hex SHA-256 of its SPKI DER bytes. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Everything one checkpoint run produces: the signed statement, its tree, and the event recording it. */
export interface NewCheckpoint {
  signed: SignedCheckpoint;
  tree: StreamHeadTree;
  keyId: string;
  /** What the checkpoint stream gets (AUDIT_CHECKPOINT_RECORDED). */
  eventData: { root: string; streams: number; position: string; createdAt: string; signature: string; keyId: string };
}

export function newCheckpoint(heads: Iterable<StreamHead>, position: bigint, createdAt: Date, privateKey: KeyObject): NewCheckpoint {
  const { checkpoint, tree } = checkpointOf(heads, position, createdAt);
  const signed = signCheckpoint(checkpoint, privateKey);
  const keyId = keyIdOf(privateKey);
  return { signed, tree, keyId, eventData: { ...checkpoint, signature: signed.signature, keyId } };
}

/**
 * The file an operator keeps outside the database (the witness): the signed checkpoint, the key
 * that signed it, and the heads themselves, so a later rewrite of a chain can be named, not only
 * detected. The heads are bound to the signature through the root.
 */
export interface WitnessFile extends SignedCheckpoint {
  keyId: string;
  publicKey: string;
  heads: StreamHead[];
}

export function witnessFileOf(created: NewCheckpoint, publicKey: string): WitnessFile {
  return { ...created.signed, keyId: created.keyId, publicKey, heads: [...created.tree.heads] };
}
