import { HttpErrorResponse } from '@angular/common/http';
import { computed, DOCUMENT, inject, Injectable, REQUEST, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { Me } from '../api/api-types';
import { SessionApi } from '../api/session.api';
import { browserOrRequestCookies, readCookie } from '../http/csrf.interceptor';

type SessionState =
  | { status: 'unknown' }
  | { status: 'anonymous' }
  | { status: 'signed-in'; me: Me };

/** The signed-in rider, if any; shared by the header, the forms and the account pages. */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly api = inject(SessionApi);
  private readonly document = inject(DOCUMENT);
  private readonly incomingRequest = inject(REQUEST, { optional: true });
  private readonly state = signal<SessionState>({ status: 'unknown' });
  private loading: Promise<Me | null> | null = null;

  readonly me = computed(() => {
    const state = this.state();
    return state.status === 'signed-in' ? state.me : null;
  });
  readonly isKnown = computed(() => this.state().status !== 'unknown');
  readonly csrfToken = computed(() => this.me()?.csrfToken ?? null);

  /** Asks /api/me once; riders without the readable `csrf` cookie never signed in, so no request. */
  load(): Promise<Me | null> {
    this.loading ??= this.fetchMe();
    return this.loading;
  }

  /** After signing in: the cookies changed, so ask again. */
  refresh(): Promise<Me | null> {
    this.loading = this.fetchMe();
    return this.loading;
  }

  signedIn(me: Me): void {
    this.state.set({ status: 'signed-in', me });
    this.loading = Promise.resolve(me);
  }

  signedOut(): void {
    this.state.set({ status: 'anonymous' });
    this.loading = Promise.resolve(null);
  }

  private async fetchMe(): Promise<Me | null> {
    if (!this.hasCsrfCookie()) {
      this.signedOut();
      return null;
    }
    try {
      const me = await firstValueFrom(this.api.me());
      this.signedIn(me);
      return me;
    } catch (error) {
      if (!(error instanceof HttpErrorResponse) || (error.status !== 401 && error.status !== 403)) {
        console.error('Could not read the session from /api/me', error);
      }
      this.signedOut();
      return null;
    }
  }

  private hasCsrfCookie(): boolean {
    return readCookie(browserOrRequestCookies(this.document, this.incomingRequest), 'csrf') !== null;
  }
}
