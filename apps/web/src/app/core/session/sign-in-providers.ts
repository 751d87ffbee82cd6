import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { SignInProviders } from '../api/api-types';

/**
 * Which sign-in methods the API offers (GET /auth/providers), so the page shows only buttons that
 * work: Google needs its client configured, and dev sign-in exists only with AUTH_DEV_LOGIN=1
 * outside production. It is a plain GET, so the HTTP transfer cache hands the server's answer to
 * the browser and hydration does not ask again.
 */
@Injectable({ providedIn: 'root' })
export class SignInProvidersStore {
  private readonly http = inject(HttpClient);

  /** null while unknown or when the API could not say. */
  readonly providers = signal<SignInProviders | null>(null);

  async load(): Promise<void> {
    try {
      this.providers.set(await firstValueFrom(this.http.get<SignInProviders>('/auth/providers')));
    } catch (error) {
      if (!(error instanceof HttpErrorResponse)) throw error;
      // Unknown is not "no": the page keeps the Google link and hides only what needs a yes.
      console.error(`GET /auth/providers failed with status ${error.status}`);
    }
  }

  /** A dev sign-in answered 404: the route went away since the providers were read. */
  markDevLoginUnavailable(): void {
    const current = this.providers();
    this.providers.set({ google: current?.google ?? true, devLogin: false });
  }
}
