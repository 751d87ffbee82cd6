import compression from 'compression';
import type { RequestHandler } from 'express';
import { COMPRESSION_THRESHOLD_BYTES } from './answer-cache/answer-encoding.js';

/**
 * br or gzip, as the client asks (brotli preferred), for compressible answers of at least 1 KiB.
 * Answers served from the answer cache arrive already encoded (Content-Encoding set) and pass
 * through untouched; this covers every other route. Brotli quality 4: compressed per request.
 */
export function compressResponses(): RequestHandler {
  return compression({ threshold: COMPRESSION_THRESHOLD_BYTES });
}
