import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { CachedAnswer } from './answer-cache.js';
import type { VersionedAnswer } from './versioned-answer.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Below this a compressed body saves less than its headers and the CPU cost. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * Serialises an answer once. Compressing is left to the first reader that asks for each encoding
 * (`withEncoding`): many answers are replaced before anyone asks for them compressed, and most
 * readers ask for one encoding (brotli), so compressing every stored answer in both spent the cores
 * on bodies nobody was sent (the soak's client asks for none).
 */
export function encodeAnswer(answer: VersionedAnswer, context: { generation: string; query: string; family: string; route: string }): CachedAnswer {
  const identity = Buffer.from(JSON.stringify(answer.body));
  const { keys, version, validUntil, variant } = answer.label;
  // Strong: equal tags mean equal bytes. The query is in it so two URLs of one key never share a tag.
  const query = createHash('sha256').update(context.query).digest('base64url').slice(0, 10);
  const etag = `"${context.generation}.${version}.${query}${variant ? `.${variant}` : ''}"`;
  return { family: context.family, route: context.route, identity, etag, keys, validUntil: validUntil ?? Number.POSITIVE_INFINITY };
}

/**
 * Compressed bodies, done or under way, per identity body and encoding. Keyed by the identity body,
 * which every copy of one answer shares: a reader of the copy holding brotli that asks for gzip
 * while gzip of the original is still being compressed waits for that, rather than compressing again.
 */
const compressed = new WeakMap<Buffer, Map<Encoding, Promise<Buffer>>>();

/**
 * The answer holding the body of `encoding`: itself when it holds it (or needs none), else a copy
 * with it added (brotli at a middling quality; the caller adds it to the answer the cache holds,
 * AnswerCache.addEncodings).
 */
export function withEncoding(answer: CachedAnswer, encoding: Encoding): Promise<CachedAnswer> | CachedAnswer {
  if (holdsEncoding(answer, encoding)) return answer;
  const { identity } = answer;
  const bodies = compressed.get(identity) ?? new Map<Encoding, Promise<Buffer>>();
  compressed.set(identity, bodies);
  let body = bodies.get(encoding);
  if (!body) {
    body =
      encoding === 'br'
        ? brotli(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } })
        : gzipAsync(identity, { level: 6 });
    bodies.set(encoding, body);
  }
  return body.then((bytes) => ({ ...answer, [encoding]: bytes }));
}

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * The best encoding the client accepts of those held: brotli, then gzip. A `q=0` refuses one; a
 * missing header means identity only (RFC 9110 would allow anything, but no client relies on it).
 */
export function negotiateEncoding(acceptEncoding: string | undefined, answer: CachedAnswer): Encoding {
  if (!acceptEncoding || answer.identity.length < COMPRESSION_THRESHOLD_BYTES) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!.trim(), q ? Number(q.slice(2)) : 1);
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return 'identity';
}

/** Whether the answer can be sent in `encoding` as it is, without compressing first. */
export const holdsEncoding = (answer: CachedAnswer, encoding: Encoding): boolean => encoding === 'identity' || answer[encoding] !== undefined;

/**
 * The body and strong ETag of one encoding (an encoded body is other bytes, so it has its own tag).
 * The answer must hold it (`withEncoding` first): sending identity in its place would hide the
 * caller's mistake behind a slower answer.
 */
export function bodyFor(answer: CachedAnswer, encoding: Encoding): { body: Buffer; etag: string } {
  if (encoding === 'identity') return { body: answer.identity, etag: answer.etag };
  const body = answer[encoding];
  if (body === undefined) throw new Error(`the answer does not hold its ${encoding} body: withEncoding must come first`);
  return { body, etag: `${answer.etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"` };
}
