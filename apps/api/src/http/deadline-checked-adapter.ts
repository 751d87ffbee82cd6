import { createServer } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';

/** How often Node looks for requests past `requestTimeout` / `headersTimeout`. */
export const DEADLINE_CHECK_INTERVAL_MS = 1_000;

/**
 * Node enforces a server's request and header deadlines only when it checks its connections, every
 * `connectionsCheckingInterval` (30 s unless given when the server is created, and only then), so
 * a 30 s request deadline let a trickling body hold its socket for up to a minute. The adapter
 * creates the plain HTTP server itself with a 1 s check; anything else Nest's adapter does its way.
 */
export class DeadlineCheckedExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.return503OnClosing || options?.forceCloseConnections) return super.initHttpServer(options);
    this.httpServer = createServer({ connectionsCheckingInterval: DEADLINE_CHECK_INTERVAL_MS }, this.getInstance());
  }
}
