import type { Request } from 'express';
import { LRUCache } from 'lru-cache';
import type { RenderedApiAnswer } from '../app/core/config/site-config';
import { readCookie } from '../app/core/http/csrf.interceptor';

/**
 * SSR page cache for anonymous riders. A rendered page is stored with the URL and ETag of every API
 * answer it was built from; before it is served again, those answers are revalidated with
 * conditional GETs (cheap 304s from the API's answer cache). All 304 means the page would render
 * the same, so the stored HTML is served; anything else means render again. The cache never
 * decides freshness by time, so a price or verification shows on the next request.
 */
export interface CachedPage {
  status: number;
  headers: [string, string][];
  /** The HTML before the per-response CSP nonce: each response gets its own. */
  body: string;
  answers: RenderedApiAnswer[];
}

export interface PageCacheOptions {
  enabled: boolean;
  maxBytes: number;
}

const SESSION_COOKIE = /(?:^|;\s*)mpp_session=/;
/** The first-party cookies that change what an anonymous rider sees (rider-region.ts, garage.ts). */
const RIDER_COOKIES = ['mpp_region', 'mpp_bike'];
const REVALIDATION_TIMEOUT_MS = 5_000;

/** WEB_PAGE_CACHE=0 turns the cache off (benchmarks compare both); WEB_PAGE_CACHE_MB bounds it. */
export function pageCacheOptionsFromEnv(env: NodeJS.ProcessEnv): PageCacheOptions {
  const megabytes = Number(env['WEB_PAGE_CACHE_MB'] ?? 64);
  return {
    enabled: env['WEB_PAGE_CACHE'] !== '0',
    maxBytes: Math.max(1, Number.isFinite(megabytes) ? megabytes : 64) * 1024 * 1024,
  };
}

/**
 * The key of a request's page, or null when the page must not come from (or go into) the cache:
 * anything but GET, and any request that may be signed in.
 */
export function pageCacheKey(req: Request): string | null {
  if (req.method !== 'GET') return null;
  const cookie = req.headers.cookie ?? '';
  if (SESSION_COOKIE.test(cookie) || req.headers.authorization) return null;
  const riderCookies = RIDER_COOKIES.map((name) => readCookie(cookie, name) ?? '');
  // The region defaults from Accept-Language when no cookie names it.
  return JSON.stringify([req.originalUrl, ...riderCookies, req.headers['accept-language'] ?? '']);
}

export class PageCache {
  private readonly pages: LRUCache<string, CachedPage>;

  constructor(maxBytes: number) {
    this.pages = new LRUCache<string, CachedPage>({
      maxSize: maxBytes,
      sizeCalculation: (page) => Math.max(1, Buffer.byteLength(page.body) + page.answers.reduce((sum, a) => sum + a.url.length + (a.etag?.length ?? 0), 0)),
    });
  }

  /** The stored page, if every answer it was built from is still current (checked in parallel). */
  async current(key: string, clientAddress: string | undefined): Promise<CachedPage | null> {
    const page = this.pages.get(key);
    if (!page) return null;
    const stillCurrent = await Promise.all(page.answers.map((answer) => this.isUnchanged(answer, clientAddress)));
    if (stillCurrent.every(Boolean)) return page;
    this.pages.delete(key);
    return null;
  }

  /**
   * Keeps a rendered page when it can be revalidated: a 200 meant for anyone (not private/no-store,
   * no cookie set), built only from API answers that all carried an ETag.
   */
  async storeIfCacheable(key: string, response: Response, answers: RenderedApiAnswer[], responseCacheControl: string): Promise<Response> {
    const cacheControl = `${response.headers.get('cache-control') ?? ''},${responseCacheControl}`;
    const cacheable =
      response.status === 200 &&
      !/\b(private|no-store)\b/i.test(cacheControl) &&
      !response.headers.has('set-cookie') &&
      answers.every((answer) => answer.etag !== null);
    if (!cacheable) return response;
    const body = await response.text();
    const headers = [...response.headers.entries()].filter(([name]) => name !== 'content-length');
    this.pages.set(key, { status: response.status, headers, body, answers: [...answers] });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  private async isUnchanged(answer: RenderedApiAnswer, clientAddress: string | undefined): Promise<boolean> {
    // fetch() adds `Cache-Control: no-cache` to a conditional request that names none, and Express
    // never answers 304 to no-cache; max-age=0 asks for the same revalidation.
    const headers: Record<string, string> = { 'If-None-Match': answer.etag!, 'Cache-Control': 'max-age=0' };
    if (clientAddress) headers['X-Forwarded-For'] = clientAddress;
    try {
      const res = await fetch(answer.url, { headers, signal: AbortSignal.timeout(REVALIDATION_TIMEOUT_MS) });
      await res.body?.cancel();
      return res.status === 304;
    } catch {
      return false;
    }
  }
}

export function responseFromCachedPage(page: CachedPage): Response {
  return new Response(page.body, { status: page.status, headers: page.headers });
}
