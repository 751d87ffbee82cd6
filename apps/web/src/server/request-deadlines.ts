import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * The API's deadlines (apps/api/src/http/configure-http.ts): 30 s for a whole request, 10 s for its
 * headers, so a client trickling bytes cannot hold a socket of the public origin. Node checks them
 * only every `connectionsCheckingInterval` (30 s unless given at creation, and only then), hence
 * the server is created here rather than by `app.listen`.
 */
export function createDeadlineCheckedServer(app: RequestListener): Server {
  return createServer({ requestTimeout: 30_000, headersTimeout: 10_000, connectionsCheckingInterval: 1_000 }, app);
}
