import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { AnswerCache } from './answer-cache.js';
import { VersionedAnswer } from './versioned-answer.js';
import { COMPRESSION_THRESHOLD_BYTES, bodyFor, encodeAnswer, holdsEncoding, negotiateEncoding, withEncoding, type Encoding } from './answer-encoding.js';

const context = { generation: '1', query: '/api/x', family: 'f', route: '/api/x' };
const large = () => encodeAnswer(new VersionedAnswer({ items: Array.from({ length: 200 }, (_, i) => ({ name: `part ${i}`, fits: true })) }, { keys: ['k'], version: '7' }), context);

describe('answer encodings', () => {
  it('stores an answer uncompressed and compresses it when a reader first asks', async () => {
    const answer = large();
    expect(answer.identity.length).toBeGreaterThanOrEqual(COMPRESSION_THRESHOLD_BYTES);
    expect(holdsEncoding(answer, 'br')).toBe(false);
    const encoding = negotiateEncoding('gzip, deflate, br', answer);
    expect(encoding).toBe('br');
    const ready = await withEncoding(answer, encoding);
    expect(ready).not.toBe(answer);
    expect(ready.gzip).toBeUndefined();
    const { body, etag } = bodyFor(ready, encoding);
    expect(brotliDecompressSync(body).equals(answer.identity)).toBe(true);
    expect(etag).toBe(`${answer.etag.slice(0, -1)}-br"`);
    const gz = await withEncoding(ready, 'gzip');
    expect(gunzipSync(gz.gzip!).equals(answer.identity)).toBe(true);
    expect(gz.br).toBe(ready.br);
  });

  it('compresses once for the readers that ask for the same encoding together, whichever copy of the answer they hold', async () => {
    const answer = large();
    const withBrotli = await withEncoding(answer, 'br');
    const [a, b, c] = await Promise.all([withEncoding(answer, 'gzip'), withEncoding(answer, 'gzip'), withEncoding(withBrotli, 'gzip')]);
    expect(b.gzip).toBe(a.gzip);
    expect(c.gzip).toBe(a.gzip);
    expect(c.br).toBe(withBrotli.br);
  });

  it('leaves a fresh answer held with both encodings when readers of brotli and gzip compress it together', async () => {
    const cache = new AnswerCache(1_000_000, { hit: () => undefined, miss: () => undefined, joined: () => undefined, refused: () => undefined, evicted: () => undefined });
    const answer = large();
    cache.store('a', answer, cache.mark());
    // What the interceptor does for each reader of an answer it holds.
    const read = async (encoding: Encoding) => cache.addEncodings('a', await withEncoding(answer, encoding));
    await Promise.all([read('br'), read('gzip')]);
    const held = cache.peek('a', 0, (current) => current)!;
    expect(holdsEncoding(held, 'br')).toBe(true);
    expect(holdsEncoding(held, 'gzip')).toBe(true);
    expect(held.identity).toBe(answer.identity);
  });

  it('sends identity, and compresses nothing, for a reader that asks for no encoding or a small answer', () => {
    const answer = large();
    expect(negotiateEncoding(undefined, answer)).toBe('identity');
    expect(withEncoding(answer, 'identity')).toBe(answer);
    const small = encodeAnswer(new VersionedAnswer({ ok: true }, { keys: ['k'], version: '1' }), context);
    expect(negotiateEncoding('br, gzip', small)).toBe('identity');
  });

  it('refuses to give a body the answer does not hold yet, naming the encoding, rather than send identity in its place', () => {
    const answer = large();
    expect(() => bodyFor(answer, 'gzip')).toThrow(/gzip/);
    expect(bodyFor(answer, 'identity')).toEqual({ body: answer.identity, etag: answer.etag });
  });
});
