import { SealedEnvelope, isSealedText, openSealedText, sealText, type RandomBytes } from './sealed-text.js';

/**
 * Which members of which events are a person's free text, and whose key seals them. Every other
 * member is catalog data, staff text or an id (DESIGN §3: no PII in events). A member is a path:
 * `name`, or `parts.*.note` for the `note` of every element of the `parts` list; its envelope in
 * `metadata.sealed` is keyed by the concrete path (`parts.0.note`).
 */
export const PERSONAL_TEXT_FIELDS: Readonly<Record<string, { owner: string; fields: readonly string[] }>> = {
  VerificationSubmitted: { owner: 'userId', fields: ['notes'] },
  VerificationRetracted: { owner: 'userId', fields: ['reason'] },
  BuildCreated: { owner: 'ownerId', fields: ['name'] },
  BuildUpdated: { owner: 'ownerId', fields: ['name', 'parts.*.note'] },
};

/** `metadata.sealed`: concrete member path -> its envelope. */
export type SealedFields = Record<string, SealedEnvelope>;

/** An event's `data` as stored: the shape these functions look into is given by PERSONAL_TEXT_FIELDS. */
type StoredData = Record<string, unknown>;

/** Whose key the event's plain free text must be sealed with; undefined when it carries none. */
export function personalTextOwner(type: string, data: StoredData): string | undefined {
  const spec = PERSONAL_TEXT_FIELDS[type];
  if (!spec || !membersOf(spec, data).some((path) => typeof valueAt(data, path) === 'string')) return undefined;
  const owner = data[spec.owner];
  if (typeof owner !== 'string') throw new TypeError(`${type}.${spec.owner} must name the owner of its free text`);
  return owner;
}

/** The data to append (commitments in place of the text) and the envelopes for `metadata.sealed`. */
export function sealPersonalText(type: string, data: StoredData, key: Buffer, random?: RandomBytes): { data: StoredData; sealed: SealedFields | undefined } {
  const owner = personalTextOwner(type, data);
  if (owner === undefined) return { data, sealed: undefined };
  let sealedData: StoredData = data;
  const sealed: SealedFields = {};
  for (const path of membersOf(PERSONAL_TEXT_FIELDS[type]!, data)) {
    const text = valueAt(data, path);
    if (typeof text !== 'string') continue;
    const result = sealText(text, owner, key, random);
    sealedData = withValueAt(sealedData, path, result.sealed);
    sealed[path.join('.')] = result.envelope;
  }
  return { data: sealedData, sealed };
}

/** The owners whose keys `openPersonalText` needs for an event with this metadata. */
export function sealedTextOwners(metadata: Readonly<Record<string, unknown>>): string[] {
  return Object.values(envelopesOf(metadata)).flatMap((envelope) => (envelope ? [envelope.owner] : []));
}

export interface UnreadableText {
  /** The concrete member path (`notes`, `parts.2.note`). */
  field: string;
  /** `erased`: the owner's key is gone (or never existed). `tampered`: the ciphertext does not match the commitment. */
  reason: 'erased' | 'tampered';
}

/**
 * The data as its author wrote it: each sealed member replaced by its text. A member that cannot be
 * read keeps its commitment, so the data still satisfies its event's schema (a build's name is
 * required) and every reader treats a member that is not a string as no text. Plain text of events
 * written before sealing existed passes through unchanged.
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
  let opened: StoredData = data;
  const unreadable: UnreadableText[] = [];
  for (const path of membersOf(spec, data)) {
    const value = valueAt(data, path);
    if (!isSealedText(value)) continue;
    const field = path.join('.');
    const envelope = envelopes[field];
    const key = envelope && keys.get(envelope.owner);
    if (!envelope || !key) {
      unreadable.push({ field, reason: 'erased' });
      continue;
    }
    const text = openSealedText(value, envelope, key);
    if (text.readable) opened = withValueAt(opened, path, text.text);
    else unreadable.push({ field, reason: text.reason });
  }
  return { data: opened, unreadable };
}

/** Every concrete path the spec's members name in this data (`parts.*.note` -> `parts.0.note`, ...). */
function membersOf(spec: { fields: readonly string[] }, data: StoredData): string[][] {
  return spec.fields.flatMap((pattern) =>
    pattern.split('.').reduce<string[][]>(
      (paths, segment) =>
        paths.flatMap((path) => {
          if (segment !== '*') return [[...path, segment]];
          const list = valueAt(data, path);
          return Array.isArray(list) ? list.map((_, index) => [...path, String(index)]) : [];
        }),
      [[]],
    ),
  );
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, segment) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined), data);
}

/** A copy with one member replaced; what lies off the path is shared, never mutated. */
function withValueAt<T>(data: T, path: readonly string[], value: unknown): T {
  const [head, ...rest] = path;
  if (head === undefined) return value as T;
  if (Array.isArray(data)) {
    const copy = [...data];
    copy[Number(head)] = withValueAt(copy[Number(head)], rest, value);
    return copy as T;
  }
  const record = data as Record<string, unknown>;
  return { ...record, [head]: withValueAt(record[head], rest, value) } as T;
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
