import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Crypto-shredding of free text (docs/domain.md "Sealed free text"). A rider's text is kept in two parts:
 * - in the event's `data`, which the hash chain covers: a salted commitment
 *   `{"commitment": hex(SHA-256(salt || UTF-8(text)))}`, with a 32-byte random salt, so the chain
 *   binds the exact text without containing it, and without the salt nobody can test guesses;
 * - in the event's `metadata.sealed`, outside the hash: the preimage `salt || UTF-8(text)`
 *   encrypted with AES-256-GCM under the owner's key (`user_keys`), with the owner and the
 *   commitment as additional authenticated data.
 * Deleting the owner's key leaves the commitment (every chain still verifies) and a ciphertext
 * nobody can open. Whoever can open it checks the text against the chain: SHA-256 of the
 * decrypted bytes must equal the commitment, so a swapped ciphertext is detected too.
 */
export const SEALED_TEXT_SALT_BYTES = 32;
export const USER_KEY_BYTES = 32;
const IV_BYTES = 12;

const Hex256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const Base64Url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');

/** What stands in `data` for a sealed text: hashed with the event, never the text itself. */
export const SealedText = z.strictObject({ commitment: Hex256 });
export type SealedText = z.infer<typeof SealedText>;

/** `metadata.sealed.<field>`: the ciphertext of one sealed text and whose key opens it. */
export const SealedEnvelope = z.strictObject({
  owner: z.string().min(1),
  iv: Base64Url,
  ciphertext: Base64Url,
  tag: Base64Url,
});
export type SealedEnvelope = z.infer<typeof SealedEnvelope>;

export type RandomBytes = (size: number) => Buffer;

export function isSealedText(value: unknown): value is SealedText {
  return SealedText.safeParse(value).success;
}

/** hex(SHA-256(salt || UTF-8(text))): what a reader with the text and its salt recomputes. */
export function commitText(text: string, salt: Buffer): string {
  return commitmentOf(Buffer.concat([salt, Buffer.from(text, 'utf8')]));
}

export function sealText(text: string, owner: string, key: Buffer, random: RandomBytes = randomBytes): { sealed: SealedText; envelope: SealedEnvelope } {
  assertKey(key);
  const salt = random(SEALED_TEXT_SALT_BYTES);
  const preimage = Buffer.concat([salt, Buffer.from(text, 'utf8')]);
  const commitment = commitmentOf(preimage);
  const iv = random(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(owner, commitment));
  const ciphertext = Buffer.concat([cipher.update(preimage), cipher.final()]);
  return {
    sealed: { commitment },
    envelope: { owner, iv: iv.toString('base64url'), ciphertext: ciphertext.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') },
  };
}

export type OpenedText = { readable: true; text: string } | { readable: false; reason: 'tampered' };

/**
 * The text, or `tampered` when the envelope does not open under this key or does not match the
 * commitment the chain covers. A missing key (erased) is the caller's case: there is nothing to try.
 */
export function openSealedText(sealed: SealedText, envelope: SealedEnvelope, key: Buffer): OpenedText {
  assertKey(key);
  let preimage: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64url'));
    decipher.setAAD(associatedData(envelope.owner, sealed.commitment));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64url'));
    preimage = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64url')), decipher.final()]);
  } catch {
    // GCM authentication failed: another key, or an edited iv, tag, ciphertext, owner or commitment.
    return { readable: false, reason: 'tampered' };
  }
  if (preimage.length < SEALED_TEXT_SALT_BYTES || commitmentOf(preimage) !== sealed.commitment) return { readable: false, reason: 'tampered' };
  return { readable: true, text: preimage.subarray(SEALED_TEXT_SALT_BYTES).toString('utf8') };
}

function commitmentOf(preimage: Buffer): string {
  return createHash('sha256').update(preimage).digest('hex');
}

function associatedData(owner: string, commitment: string): Buffer {
  return Buffer.from(`${owner}\n${commitment}`, 'utf8');
}

function assertKey(key: Buffer): void {
  if (key.length !== USER_KEY_BYTES) throw new RangeError(`a user key has ${USER_KEY_BYTES} bytes, got ${key.length}`);
}
