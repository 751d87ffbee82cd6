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
 * Serialises an answer once and compresses it once (brotli at a middling quality: an answer is
 * compressed when it changes, not per request, but on the request that missed).
 */
export async function encodeAnswer(answer: VersionedAnswer, context: { generation: string; query: string; family: string; route: string }): Promise<CachedAnswer> {
  const identity = Buffer.from(JSON.stringify(answer.body));
  const { keys, version, validUntil, variant } = answer.label;
  // Strong: equal tags mean equal bytes. The query is in it so two URLs of one key never share a tag.
  const query = createHash('sha256').update(context.query).digest('base64url').slice(0, 10);
  const etag = `"${context.generation}.${version}.${query}${variant ? `.${variant}` : ''}"`;
  const large = identity.length >= COMPRESSION_THRESHOLD_BYTES;
  const [br, gz] = large
    ? await Promise.all([
        brotli(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }),
        gzipAsync(identity, { level: 6 }),
      ])
    : [undefined, undefined];
  return { family: context.family, route: context.route, identity, br, gzip: gz, etag, keys, validUntil: validUntil ?? Number.POSITIVE_INFINITY };
}

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * The best encoding the client accepts of those held: brotli, then gzip. A `q=0` refuses one; a
 * missing header means identity only (RFC 9110 would allow anything, but no client relies on it).
 */
export function negotiateEncoding(acceptEncoding: string | undefined, answer: CachedAnswer): Encoding {
  if (!acceptEncoding || !answer.br) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!.trim(), q ? Number(q.slice(2)) : 1);
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0 && answer.gzip) return 'gzip';
  return 'identity';
}

/** The body and strong ETag of one encoding: an encoded body is other bytes, so it has its own tag. */
export function bodyFor(answer: CachedAnswer, encoding: Encoding): { body: Buffer; etag: string } {
  if (encoding === 'br') return { body: answer.br!, etag: `${answer.etag.slice(0, -1)}-br"` };
  if (encoding === 'gzip') return { body: answer.gzip!, etag: `${answer.etag.slice(0, -1)}-gz"` };
  return { body: answer.identity, etag: answer.etag };
}
