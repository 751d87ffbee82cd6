import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { freePort, RunningWebServer, startWebServer } from './support/web-server.js';

/** fetch refuses to send TRACE, so methods go through node:http. */
function send(url: string, method: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The SSR server's refusals and failures say nothing about its insides: TRACE on / answered 500
 * with a stack trace and absolute paths. Real HTTP against the built server; the API it points at
 * is a closed port, so anything that needs the API fails.
 */
describe('web server errors', () => {
  let web: RunningWebServer;

  beforeAll(async () => {
    web = await startWebServer({ API_URL: `http://127.0.0.1:${await freePort()}`, PUBLIC_BASE_URL: 'https://motopartpicker.example' });
  });
  afterAll(async () => {
    await web?.stop();
  });

  const leaksInternals = (text: string) => /\bat \S+ \(|\/work\/|node_modules|\.mjs/.test(text);

  it.each(['TRACE', 'PUT', 'DELETE', 'PATCH'])('answers %s / with 405 and Allow, without internals', async (method) => {
    const res = await send(`${web.url}/`, method);
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD, OPTIONS');
    expect(leaksInternals(res.text)).toBe(false);
  });

  it('answers a failure with a plain 500, without a stack or a path', async () => {
    const res = await fetch(`${web.url}/sitemap.xml`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('Internal Server Error');
  });

  it('keeps a client error a 4xx (a malformed URL), plainly', async () => {
    const res = await fetch(`${web.url}/bikes/%E0%A4%A`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(leaksInternals(await res.text())).toBe(false);
  });

  it('cuts a client that trickles its headers with 408 at the 10 s deadline, not after them', async () => {
    const { hostname, port, host } = new URL(web.url);
    // One header byte every 500 ms for 15 s: past the 10 s deadline, yet complete well before Node's
    // own 30 s check, so only a deadline checked while the bytes trickle answers 408 (else 200).
    const statusLine = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      let received = '';
      let sent = 0;
      const trickle = setInterval(() => {
        sent += 1;
        socket.write(sent < 30 ? 'a' : '\r\n\r\n');
        if (sent >= 30) clearInterval(trickle);
      }, 500);
      socket.on('connect', () => socket.write(`GET /robots.txt HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\nX-Slow: `));
      const answered = () => received.split('\r\n')[0] ?? '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        clearInterval(trickle);
      });
      socket.on('close', () => {
        clearInterval(trickle);
        resolve(answered());
      });
      // A byte written as the server closed the connection fails; the answer had arrived by then.
      socket.on('error', (error) => {
        clearInterval(trickle);
        if (received) resolve(answered());
        else reject(error);
      });
    });
    expect(statusLine).toBe('HTTP/1.1 408 Request Timeout');
  }, 30_000);
});

/**
 * A rider who taps away while a page renders closes the connection; the render is aborted with it.
 * That is nobody's failure: the server logged each one as `request failed`, which buried real errors
 * (the web bench's runs ended with a screen of them). The API here accepts connections and never
 * answers, so a page render waits until the client gives up.
 */
describe('web server, a client that leaves mid-render', () => {
  let web: RunningWebServer;
  const silentApi = createServer(() => undefined);

  beforeAll(async () => {
    const apiPort = await freePort();
    await new Promise<void>((resolve) => silentApi.listen(apiPort, '127.0.0.1', resolve));
    web = await startWebServer({ API_URL: `http://127.0.0.1:${apiPort}`, PUBLIC_BASE_URL: 'https://motopartpicker.example' });
  });
  afterAll(async () => {
    await web?.stop();
    silentApi.closeAllConnections?.();
    await new Promise((resolve) => silentApi.close(resolve));
  });

  it('logs it as abandoned, not as a failed request', async () => {
    await expect(fetch(`${web.url}/bikes/2021-yamaha-mt-07`, { signal: AbortSignal.timeout(500) })).rejects.toThrow();
    const logged = async () => web.output().includes('"request abandoned by the client"');
    for (const until = Date.now() + 10_000; !(await logged()) && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(web.output()).toContain('"msg":"request abandoned by the client","method":"GET","path":"/bikes/2021-yamaha-mt-07"');
    expect(web.output()).not.toContain('"request failed"');
  });
});
