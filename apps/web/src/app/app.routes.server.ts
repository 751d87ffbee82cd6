import { RenderMode, ServerRoute } from '@angular/ssr';

/**
 * Every page is rendered per request: the catalog, prices and verifications change all the time,
 * and prerendering at build time would need a running API.
 */
export const serverRoutes: ServerRoute[] = [{ path: '**', renderMode: RenderMode.Server }];
