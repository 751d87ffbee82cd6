import './server/production-default';
import {
  AngularNodeAppEngine,
  createNodeRequestHandler,
  isMainModule,
  writeResponseToNodeResponse,
} from '@angular/ssr/node';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { join } from 'node:path';
import type { WebRequestContext } from './app/core/config/site-config';
import { allowedHostsFromEnv, readWebServerConfig } from './server/web-server-config';
import { answerErrorsPlainly, refuseUnsupportedMethods } from './server/error-responses';
import { cspNonceOf, securityHeaders, withScriptNonces } from './server/security-headers';
import { robotsTxt } from './server/robots';
import { SitemapBuilder } from './server/sitemap';
import { compressResponses, precompressedAssets } from './server/compression';
import { PageCache, pageCacheKey, pageCacheOptionsFromEnv, responseFromCachedPage } from './server/page-cache';
import { createDeadlineCheckedServer } from './server/request-deadlines';

const config = readWebServerConfig(process.env);
// The Angular app reads these when it renders; give it the validated, defaulted values.
process.env['API_URL'] = config.apiUrl;
process.env['PUBLIC_BASE_URL'] = config.publicBaseUrl;
const browserDistFolder = join(import.meta.dirname, '../browser');

/** The paths the API owns (DESIGN §2): the site works on one origin. */
const PROXIED_PATH = /^\/(api|auth|go)(\/|$)/;

const app = express();
app.disable('x-powered-by');
/*
 * angular.json allows localhost and 127.0.0.1; NG_ALLOWED_HOSTS adds production hosts, and the
 * host of PUBLIC_BASE_URL is always allowed so the public site can never answer itself 400.
 * (Passing `allowedHosts` here replaces Angular's own reading of NG_ALLOWED_HOSTS, hence the merge.)
 */
const angularApp = new AngularNodeAppEngine({
  allowedHosts: [...allowedHostsFromEnv(process.env['NG_ALLOWED_HOSTS']), new URL(config.publicBaseUrl).hostname],
});

/*
 * The proxy comes first so that no body parser ever consumes a request body: bodies stream to the
 * API untouched, and the API's status, Set-Cookie and Location headers come back unchanged
 * (redirects are the browser's to follow, e.g. /go/... -> retailer, /auth/google -> Google).
 */
app.use(
  createProxyMiddleware({
    target: config.apiUrl,
    pathFilter: (pathname) => PROXIED_PATH.test(pathname),
    changeOrigin: true,
    xfwd: true,
    followRedirects: false,
    proxyTimeout: 30_000,
    on: {
      error: (error, req, res) => {
        console.error(
          JSON.stringify({ level: 'error', msg: 'api proxy failed', url: req.url, error: error.message }),
        );
        if ('writeHead' in res && !res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ type: 'about:blank', title: 'API unavailable', status: 502 }));
        }
      },
    },
  }),
);

// After the proxy: API answers come already compressed, and request bodies stream to it untouched.
app.use(precompressedAssets(browserDistFolder));
app.use(compressResponses());
app.use(refuseUnsupportedMethods);
app.use(securityHeaders);

app.get('/robots.txt', (_req, res) => {
  res.type('text/plain').send(robotsTxt(config.publicBaseUrl));
});

const sitemap = new SitemapBuilder(config.apiUrl, config.publicBaseUrl);
app.get('/sitemap.xml', (_req, res, next) => {
  sitemap
    .xml()
    .then((xml) => res.type('application/xml').set('cache-control', 'public, max-age=600').send(xml))
    .catch(next);
});

app.use(
  express.static(browserDistFolder, {
    maxAge: '1y',
    index: false,
    redirect: false,
  }),
);

const pageCacheOptions = pageCacheOptionsFromEnv(process.env);
const pageCache = pageCacheOptions.enabled ? new PageCache(pageCacheOptions.maxBytes) : null;

app.use((req, res, next) => {
  // The client's address goes with the render, so server-side API calls can name it (rate limits).
  const clientAddress = req.socket.remoteAddress;
  const cacheKey = pageCache ? pageCacheKey(req) : null;
  const render = async (): Promise<Response | null> => {
    const requestContext: WebRequestContext = { clientAddress, apiAnswers: [] };
    const response = await angularApp.handle(req, requestContext);
    if (!response || !pageCache || !cacheKey) return response;
    return pageCache.storeIfCacheable(cacheKey, response, requestContext.apiAnswers!, String(res.getHeader('cache-control') ?? ''));
  };
  const page = async (): Promise<Response | null> => {
    const cached = pageCache && cacheKey ? await pageCache.current(cacheKey, clientAddress) : null;
    res.setHeader('x-page-cache', cached ? 'hit' : 'miss');
    return cached ? responseFromCachedPage(cached) : render();
  };
  page()
    .then(async (response) => (response ? writeResponseToNodeResponse(await withScriptNonces(response, cspNonceOf(res)), res) : next()))
    .catch(next);
});

app.use(answerErrorsPlainly);

if (isMainModule(import.meta.url) || process.env['pm_id']) {
  const server = createDeadlineCheckedServer(app);
  server.on('error', (error) => {
    throw error;
  });
  server.listen(config.port, config.host, () => {
    console.log(
      JSON.stringify({
        level: 'info',
        msg: 'web listening',
        url: `http://${config.host}:${config.port}`,
        apiUrl: config.apiUrl,
        publicBaseUrl: config.publicBaseUrl,
      }),
    );
  });
  const shutDown = () => server.close(() => process.exit(0));
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);
}

/** Request handler used by the Angular CLI (dev-server and build). */
export const reqHandler = createNodeRequestHandler(app);
