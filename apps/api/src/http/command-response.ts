import type { Response } from 'express';

/** Every command answer carries the log position of its last event, also as a header for clients that prefer it. */
export function withPosition<T extends { position: number }>(res: Response, body: T): T {
  res.setHeader('X-Position', String(body.position));
  return body;
}
