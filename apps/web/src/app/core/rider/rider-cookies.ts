import { DOCUMENT, inject, Injectable, REQUEST } from '@angular/core';
import { browserOrRequestCookies, readCookie } from '../http/csrf.interceptor';

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The rider's own choices (region, current bike) live in first-party cookies so the server render
 * already shows them; the browser writes them, the server only reads the incoming request's.
 */
@Injectable({ providedIn: 'root' })
export class RiderCookies {
  private readonly document = inject(DOCUMENT);
  private readonly incomingRequest = inject(REQUEST, { optional: true });

  read(name: string): string | null {
    return readCookie(browserOrRequestCookies(this.document, this.incomingRequest), name);
  }

  write(name: string, value: string | null): void {
    if (this.incomingRequest || (typeof ngServerMode !== 'undefined' && ngServerMode)) return;
    this.document.cookie =
      value === null
        ? `${name}=; Path=/; Max-Age=0; SameSite=Lax`
        : `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`;
  }

  /** Accept-Language of the page request on the server; the browser's own languages otherwise. */
  languages(): readonly string[] {
    if (this.incomingRequest) {
      return (this.incomingRequest.headers.get('accept-language') ?? '')
        .split(',')
        .map((entry) => entry.split(';')[0].trim())
        .filter(Boolean);
    }
    return typeof navigator === 'undefined' ? [] : navigator.languages;
  }
}
