import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { VersionedAnswer } from './versioned-answer.js';
import { bodyFor, encodeAnswer, holdsEncoding, negotiateEncoding, withEncoding } from './answer-encoding.js';

const context = { generation: '1', query: '/api/x', family: 'f', route: '/api/x' };
const large = () => encodeAnswer(new VersionedAnswer({ items: Array.from({ length: 200 }, (_, i) => ({ name: `part ${i}`, fits: true })) }, { keys: ['k'], version: '7' }), context);

describe('answer encodings', () => {
  it('stores an answer uncompressed and compresses it when a reader first asks', async () => {
    const answer = large();
    expect(answer.compressible).toBe(true);
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

  it('compresses once for the readers that ask for the same encoding together', async () => {
    const answer = large();
    const [a, b] = await Promise.all([withEncoding(answer, 'br'), withEncoding(answer, 'br')]);
    expect(a).toBe(b);
  });

  it('sends identity, and compresses nothing, for a reader that asks for no encoding or a small answer', () => {
    const answer = large();
    expect(negotiateEncoding(undefined, answer)).toBe('identity');
    expect(withEncoding(answer, 'identity')).toBe(answer);
    const small = encodeAnswer(new VersionedAnswer({ ok: true }, { keys: ['k'], version: '1' }), context);
    expect(negotiateEncoding('br, gzip', small)).toBe('identity');
  });

  it('sends the identity body under its own tag when the asked encoding is not held yet', () => {
    const answer = large();
    expect(bodyFor(answer, 'gzip')).toEqual({ body: answer.identity, etag: answer.etag });
  });
});
