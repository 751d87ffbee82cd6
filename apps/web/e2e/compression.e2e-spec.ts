import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startStubApi, STUB_BIKE, StubApi } from './support/stub-api.js';
import { RunningWebServer, startWebServer } from './support/web-server.js';

/** The bytes as sent (fetch would decode them). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** The built SSR server compresses what it sends: server-rendered HTML, the bundle's scripts and styles. */
describe('web server compression', () => {
  let api: StubApi;
  let web: RunningWebServer;
  let html: string;

  beforeAll(async () => {
    api = await startStubApi();
    web = await startWebServer({ API_URL: api.url, PUBLIC_BASE_URL: 'https://motopartpicker.example' });
    html = (await rawGet(`${web.url}/bikes/${STUB_BIKE.slug}`, { 'Accept-Encoding': 'identity' })).body.toString();
  });

  afterAll(async () => {
    await web?.stop();
    await api?.close();
  });

  const asset = (pattern: RegExp) => {
    const match = pattern.exec(html);
    if (!match) throw new Error(`no ${pattern} in the rendered page`);
    return `${web.url}/${match[1]}`;
  };

  it('sends the server-rendered page as brotli or gzip, as asked', async () => {
    const br = await rawGet(`${web.url}/bikes/${STUB_BIKE.slug}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toContain(`${STUB_BIKE.year} ${STUB_BIKE.make} ${STUB_BIKE.model}`);
    const gz = await rawGet(`${web.url}/bikes/${STUB_BIKE.slug}`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toContain('</html>');
  });

  it('sends the scripts and styles precompressed, and as they are to a client that asks for neither', async () => {
    for (const url of [asset(/<script src="([^"]+\.js)"/), asset(/<link rel="stylesheet" href="([^"]+\.css)"/)]) {
      const plain = await rawGet(url, { 'Accept-Encoding': 'identity' });
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const br = await rawGet(url, { 'Accept-Encoding': 'br, gzip' });
      expect({ url, encoding: br.headers['content-encoding'] }).toEqual({ url, encoding: 'br' });
      expect(br.headers['vary']).toMatch(/Accept-Encoding/);
      expect(br.body.length).toBeLessThan(plain.body.length);
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      const gz = await rawGet(url, { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    }
  });
});
