import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedAnswer {
  status: number;
  body: string;
  contentType?: string;
}

export interface FeedServer {
  url: string;
  hits: number;
  /** Replaces what the server answers from now on. */
  answer(next: () => FeedAnswer): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for a retailer's feed endpoint. Unlike the JSON
 * stand-in of the integrations tests, it answers with raw text, so it can serve CSV.
 */
export async function startFeedServer(initial: () => FeedAnswer): Promise<FeedServer> {
  let respond = initial;
  const state = { hits: 0 };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.hits++;
      const answer = respond();
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain; charset=utf-8' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/feed`,
    get hits() {
      return state.hits;
    },
    answer(next) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Sets environment variables for the duration of `work` (the API reads RETAILER_FEEDS at start-up). */
export async function withEnv<T>(vars: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
