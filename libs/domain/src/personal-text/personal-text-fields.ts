import { SealedEnvelope, isSealedText, openSealedText, sealText, type RandomBytes } from './sealed-text.js';

/**
 * Which members of which events are a person's free text, and whose key seals them. Every other
 * member is catalog data or an id (DESIGN §3: no PII in events). Build names and build part notes
 * are not listed: a build is deleted with its owner's account, see docs/reliability.md "Erasure".
 */
export const PERSONAL_TEXT_FIELDS: Readonly<Record<string, { owner: string; fields: readonly string[] }>> = {
  VerificationSubmitted: { owner: 'userId', fields: ['notes'] },
  VerificationRetracted: { owner: 'userId', fields: ['reason'] },
};

/** `metadata.sealed`: field name -> its envelope. */
export type SealedFields = Record<string, SealedEnvelope>;

/** An event's `data` as stored: the shape these functions look into is given by PERSONAL_TEXT_FIELDS. */
type StoredData = Record<string, unknown>;

/** Whose key the event's plain free text must be sealed with; undefined when it carries none. */
export function personalTextOwner(type: string, data: StoredData): string | undefined {
  const spec = PERSONAL_TEXT_FIELDS[type];
  if (!spec || !spec.fields.some((field) => typeof data[field] === 'string')) return undefined;
  const owner = data[spec.owner];
  if (typeof owner !== 'string') throw new TypeError(`${type}.${spec.owner} must name the owner of its free text`);
  return owner;
}

/** The data to append (commitments in place of the text) and the envelopes for `metadata.sealed`. */
export function sealPersonalText(type: string, data: StoredData, key: Buffer, random?: RandomBytes): { data: StoredData; sealed: SealedFields | undefined } {
  const owner = personalTextOwner(type, data);
  if (owner === undefined) return { data, sealed: undefined };
  const sealedData: StoredData = { ...data };
  const sealed: SealedFields = {};
  for (const field of PERSONAL_TEXT_FIELDS[type]!.fields) {
    const text = data[field];
    if (typeof text !== 'string') continue;
    const result = sealText(text, owner, key, random);
    sealedData[field] = result.sealed;
    sealed[field] = result.envelope;
  }
  return { data: sealedData, sealed };
}

/** The owners whose keys `openPersonalText` needs for an event with this metadata. */
export function sealedTextOwners(metadata: Readonly<Record<string, unknown>>): string[] {
  return Object.values(envelopesOf(metadata)).flatMap((envelope) => (envelope ? [envelope.owner] : []));
}

export interface UnreadableText {
  field: string;
  /** `erased`: the owner's key is gone (or never existed). `tampered`: the ciphertext does not match the commitment. */
  reason: 'erased' | 'tampered';
}

/**
 * The data as its author wrote it: each sealed member replaced by its text, or left out when it
 * cannot be read (so an erased note reads exactly like no note). Plain text of events written
 * before sealing existed passes through unchanged.
 */
export function openPersonalText(
  type: string,
  data: StoredData,
  metadata: Readonly<Record<string, unknown>>,
  keys: ReadonlyMap<string, Buffer>,
): { data: StoredData; unreadable: UnreadableText[] } {
  const spec = PERSONAL_TEXT_FIELDS[type];
  if (!spec) return { data, unreadable: [] };
  const envelopes = envelopesOf(metadata);
  const opened: StoredData = { ...data };
  const unreadable: UnreadableText[] = [];
  for (const field of spec.fields) {
    const value = data[field];
    if (!isSealedText(value)) continue;
    delete opened[field];
    const envelope = envelopes[field];
    const key = envelope && keys.get(envelope.owner);
    if (!envelope || !key) {
      unreadable.push({ field, reason: 'erased' });
      continue;
    }
    const text = openSealedText(value, envelope, key);
    if (text.readable) opened[field] = text.text;
    else unreadable.push({ field, reason: text.reason });
  }
  return { data: opened, unreadable };
}

function envelopesOf(metadata: Readonly<Record<string, unknown>>): Partial<SealedFields> {
  const sealed = metadata.sealed;
  if (sealed === null || typeof sealed !== 'object') return {};
  const envelopes: Partial<SealedFields> = {};
  for (const [field, value] of Object.entries(sealed)) {
    const parsed = SealedEnvelope.safeParse(value);
    if (parsed.success) envelopes[field] = parsed.data;
  }
  return envelopes;
}
