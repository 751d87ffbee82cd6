import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Below this, compressing saves less than it costs. */
const THRESHOLD_BYTES = 1024;
const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * br or gzip, as the browser asks, for server-rendered HTML and any other text answer of 1 KiB or
 * more (brotli quality 4: compressed per response). Proxied API answers arrive already encoded and
 * pass through untouched, as do the precompressed assets below.
 */
export function compressResponses(): RequestHandler {
  return compression({ threshold: THRESHOLD_BYTES });
}

interface Precompressed {
  type: string;
  etag: string;
  br: Buffer;
  gzip: Buffer;
}

/** The browser bundle's scripts and styles: content-hashed file names, so they never change while served. */
const PRECOMPRESSED_EXTENSIONS = new Set(['.js', '.mjs', '.css']);

/**
 * Serves the browser bundle's scripts and styles brotli- or gzip-compressed at the highest quality,
 * compressed once when the server starts (in the background, on the zlib thread pool; until that is
 * done, and for a browser that accepts neither, the static middleware and `compressResponses` serve
 * them as usual). Same one-year caching as the static files: their names carry a content hash.
 */
export function precompressedAssets(folder: string): RequestHandler {
  const assets = new Map<string, Precompressed>();
  void precompress(folder, assets).catch((error: unknown) => {
    // The build's prerendering loads this module without a browser bundle beside it.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    console.error(JSON.stringify({ level: 'warn', msg: 'precompressing assets failed; serving them compressed per request', error: (error as Error).message }));
  });
  return (req: Request, res: Response, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const asset = assets.get(req.path);
    if (!asset) return next();
    const accepted = String(req.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b(?!;q=0(\.0*)?(,|$))/.test(accepted) ? 'br' : /\bgzip\b(?!;q=0(\.0*)?(,|$))/.test(accepted) ? 'gzip' : undefined;
    res.setHeader('Vary', 'Accept-Encoding');
    if (!encoding) return next();
    const etag = `"${asset.etag}-${encoding === 'br' ? 'br' : 'gz'}"`;
    res.setHeader('Content-Type', asset.type);
    res.setHeader('Content-Encoding', encoding);
    res.setHeader('Cache-Control', 'public, max-age=31536000');
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) return void res.status(304).end();
    const body = encoding === 'br' ? asset.br : asset.gzip;
    res.setHeader('Content-Length', body.length);
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  };
}

async function precompress(folder: string, into: Map<string, Precompressed>): Promise<void> {
  for (const name of await readdir(folder, { recursive: true })) {
    const extension = extname(name);
    if (!PRECOMPRESSED_EXTENSIONS.has(extension)) continue;
    const bytes = await readFile(join(folder, name));
    if (bytes.length < THRESHOLD_BYTES) continue;
    const [br, gz] = await Promise.all([
      brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    const type = extension === '.css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    into.set(`/${name.split('\\').join('/')}`, { type, etag: createHash('sha256').update(bytes).digest('base64url').slice(0, 16), br, gzip: gz });
  }
}
