import { FetchBackend, HttpEvent, HttpEventType, HttpRequest } from '@angular/common/http';
import { inject, Injectable, REQUEST, REQUEST_CONTEXT } from '@angular/core';
import { Observable, tap } from 'rxjs';
import { API_ORIGIN, WebRequestContext } from '../config/site-config';

const API_PATH = /^\/(api|auth)(\/|$)/;
/** A slow API must not hold a server render (and its socket) forever. */
const SERVER_REQUEST_TIMEOUT_MS = 8_000;

/**
 * Server only. Services call relative `/api/...` URLs on both sides; here, after every interceptor
 * (the HTTP transfer cache among them, so its keys stay the relative URLs the browser will ask
 * for), the server sends them straight to API_URL instead of looping through its own proxy, and
 * forwards the rider's cookie so the API sees the same session the browser would. Each answer's URL
 * and ETag go into the request context, so server.ts can cache the page against their versions.
 */
@Injectable()
export class ApiOriginFetchBackend extends FetchBackend {
  private readonly apiOrigin = inject(API_ORIGIN);
  private readonly incomingRequest = inject(REQUEST, { optional: true });
  private readonly requestContext = inject(REQUEST_CONTEXT, { optional: true }) as WebRequestContext | null;

  override handle(request: HttpRequest<unknown>): Observable<HttpEvent<unknown>> {
    const target = this.apiUrlFor(request.url);
    if (!target) return super.handle(request);
    const headers: Record<string, string> = {};
    const cookie = this.incomingRequest?.headers.get('cookie');
    if (cookie) headers['Cookie'] = cookie;
    const clientAddress = this.requestContext?.clientAddress;
    if (clientAddress) headers['X-Forwarded-For'] = clientAddress;
    const answers = this.requestContext?.apiAnswers;
    const toApi = request.clone({
      url: target,
      setHeaders: headers,
      timeout: request.timeout ?? SERVER_REQUEST_TIMEOUT_MS,
    });
    const sent = super.handle(toApi);
    if (!answers) return sent;
    // Only a GET can be revalidated with If-None-Match; anything else (or a failure) leaves a null ETag.
    const cacheable = request.method === 'GET';
    return sent.pipe(
      tap({
        next: (event) => {
          if (event.type === HttpEventType.Response) {
            answers.push({ url: toApi.urlWithParams, etag: cacheable && event.status === 200 ? event.headers.get('etag') : null });
          }
        },
        error: () => answers.push({ url: toApi.urlWithParams, etag: null }),
      }),
    );
  }

  /** platform-server may already have resolved `/api/x` against the page's own origin. */
  private apiUrlFor(url: string): string | null {
    const pageOrigin = this.incomingRequest ? new URL(this.incomingRequest.url).origin : null;
    const parsed = new URL(url, pageOrigin ?? 'http://relative.invalid');
    const isRelative = !/^[a-z][a-z\d+.-]*:/i.test(url);
    if (!isRelative && parsed.origin !== pageOrigin) return null;
    if (!API_PATH.test(parsed.pathname)) return null;
    return this.apiOrigin + parsed.pathname + parsed.search;
  }
}
