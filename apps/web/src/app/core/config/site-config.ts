import { DOCUMENT, inject, InjectionToken, makeStateKey, TransferState } from '@angular/core';

export interface SiteConfig {
  /** Origin for canonical URLs and JSON-LD (PUBLIC_BASE_URL), without a trailing slash. */
  publicBaseUrl: string;
}

export const SITE_CONFIG_STATE_KEY = makeStateKey<SiteConfig>('mpp.siteConfig');

/**
 * The server provides this from the environment and hands it to the browser through TransferState;
 * the browser default below reads it back (or falls back to its own origin for a client-only page).
 */
export const SITE_CONFIG = new InjectionToken<SiteConfig>('SITE_CONFIG', {
  providedIn: 'root',
  factory: () =>
    inject(TransferState).get(SITE_CONFIG_STATE_KEY, null) ?? {
      publicBaseUrl: inject(DOCUMENT).location?.origin ?? '',
    },
});

/** Server only: where the API listens (API_URL). Relative /api, /auth calls are sent there directly. */
export const API_ORIGIN = new InjectionToken<string>('API_ORIGIN');

/** What server.ts passes to each render through REQUEST_CONTEXT. */
export interface WebRequestContext {
  clientAddress?: string;
  /**
   * Filled during the render: every API answer the page used, with its ETag (null when it had
   * none, or failed). The SSR page cache revalidates a stored page against exactly these.
   */
  apiAnswers?: RenderedApiAnswer[];
}

export interface RenderedApiAnswer {
  url: string;
  etag: string | null;
}
