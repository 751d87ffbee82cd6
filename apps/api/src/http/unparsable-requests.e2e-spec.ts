import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './configure-http.js';

/** Sends raw bytes and collects everything the server answers until it closes the connection. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.end(bytes);
  });
}

function parse(answer: string): { status: number; contentType: string | undefined; body: Record<string, unknown> } {
  const [head, body] = answer.split('\r\n\r\n');
  const [statusLine, ...headers] = head!.split('\r\n');
  const contentType = headers.find((h) => h.toLowerCase().startsWith('content-type:'))?.split(':')[1]?.trim();
  return { status: Number(statusLine!.split(' ')[1]), contentType, body: JSON.parse(body!) };
}

describe('requests the HTTP parser rejects', () => {
  let api: ApiUnderTest;
  let port: number;

  beforeAll(async () => {
    api = await startApiUnderTest();
    await api.app.listen(0, '127.0.0.1');
    port = (api.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await api.close();
  });

  it('bounds how long a request may take to arrive (Node would wait 300 s for a trickling body)', () => {
    const server = api.app.getHttpServer() as import('node:http').Server;
    expect(server.requestTimeout).toBe(30_000);
    expect(server.headersTimeout).toBe(10_000);
  });

  it('enforces the request deadline while a body still trickles in, not at the next 30 s check', async () => {
    const server = api.app.getHttpServer() as import('node:http').Server;
    // Shortened for the test (Node applies the smaller of the two to a request whose body is late).
    server.headersTimeout = 500;
    server.requestTimeout = 1_000;
    try {
      // 100 bytes at one per 100 ms: the body would be complete after 10 s, well inside Node's
      // default 30 s check, so only a deadline checked while it trickles answers 408.
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let received = '';
        const trickle = setInterval(() => socket.write('a'), 100);
        socket.on('connect', () => socket.write(`POST /api/affiliate/click HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`));
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => {
          clearInterval(trickle);
          resolve(received);
        });
        socket.on('error', (error) => {
          clearInterval(trickle);
          reject(error);
        });
      });
      expect(parse(answer)).toMatchObject({ status: 408, contentType: expect.stringMatching(/^application\/problem\+json/) });
    } finally {
      server.requestTimeout = REQUEST_TIMEOUT_MS;
      server.headersTimeout = HEADERS_TIMEOUT_MS;
    }
  });

  it('answers headers over 16 KB with 431 problem+json', async () => {
    const answer = parse(await exchange(port, `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 431, title: 'Request Header Fields Too Large', detail: expect.stringContaining('16 KB') });
  });

  it('answers a request that is not HTTP with 400 problem+json', async () => {
    const answer = parse(await exchange(port, 'HELLO THERE\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 400, detail: 'the request is not valid HTTP/1.1' });
  });

  it('keeps idle connections open longer than a proxy keeps them, and says so', async () => {
    const answer = await exchange(port, 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(answer).toMatch(/\r\nKeep-Alive: timeout=65\r\n/i);
  });

  it('keeps serving well-formed requests afterwards', async () => {
    const answer = await exchange(port, 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(answer.startsWith('HTTP/1.1 200')).toBe(true);
  });
});
