import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem } from './problem-details.js';

/**
 * Requests Node's HTTP parser rejects never reach Nest (headers over `--max-http-header-size`,
 * a malformed request line, a request that took too long to arrive). Node would answer them with
 * a bare status line; this answers with problem+json like every other refusal, naming what was
 * wrong, and closes the connection (the parser cannot find the next request in it).
 */
export function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // The client went away or the answer is already on its way: nothing to say.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, detail] = refusalOf(error.code);
    const body = JSON.stringify(problem(status, null, detail));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

function refusalOf(code: string | undefined): [number, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'the request line and headers are larger than the server accepts (16 KB)'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'the request did not arrive in time'];
  return [400, 'the request is not valid HTTP/1.1'];
}
