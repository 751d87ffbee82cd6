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
  const compressible = identity.length >= COMPRESSION_THRESHOLD_BYTES;
  return { family: context.family, route: context.route, identity, compressible, etag, keys, validUntil: validUntil ?? Number.POSITIVE_INFINITY };
}

/** Compressions under way, per answer and encoding: the first readers of a fresh answer arrive together. */
const compressing = new WeakMap<CachedAnswer, Map<Encoding, Promise<CachedAnswer>>>();

/**
 * The answer holding the body of `encoding`: itself when it holds it (or needs none), else a copy
 * with it added (brotli at a middling quality; the caller puts the copy in the cache in its place).
 */
export function withEncoding(answer: CachedAnswer, encoding: Encoding): Promise<CachedAnswer> | CachedAnswer {
  if (holdsEncoding(answer, encoding)) return answer;
  const pending = compressing.get(answer) ?? new Map<Encoding, Promise<CachedAnswer>>();
  compressing.set(answer, pending);
  let copy = pending.get(encoding);
  if (!copy) {
    const body =
      encoding === 'br'
        ? brotli(answer.identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: answer.identity.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } })
        : gzipAsync(answer.identity, { level: 6 });
    copy = body.then((bytes) => ({ ...answer, [encoding]: bytes }));
    pending.set(encoding, copy);
  }
  return copy;
}

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * The best encoding the client accepts of those held: brotli, then gzip. A `q=0` refuses one; a
 * missing header means identity only (RFC 9110 would allow anything, but no client relies on it).
 */
export function negotiateEncoding(acceptEncoding: string | undefined, answer: CachedAnswer): Encoding {
  if (!acceptEncoding || !answer.compressible) return 'identity';
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
 * The body and strong ETag of one encoding (an encoded body is other bytes, so it has its own tag);
 * the identity body when the answer does not hold that encoding (yet).
 */
export function bodyFor(answer: CachedAnswer, encoding: Encoding): { body: Buffer; etag: string } {
  if (encoding === 'br' && answer.br) return { body: answer.br, etag: `${answer.etag.slice(0, -1)}-br"` };
  if (encoding === 'gzip' && answer.gzip) return { body: answer.gzip, etag: `${answer.etag.slice(0, -1)}-gz"` };
  return { body: answer.identity, etag: answer.etag };
}
