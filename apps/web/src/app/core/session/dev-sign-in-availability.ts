import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable, makeStateKey, signal, TransferState } from '@angular/core';
import { firstValueFrom } from 'rxjs';

const STATE_KEY = makeStateKey<boolean>('mpp.devSignInAvailable');
const PROBE_TTL_MS = 60_000;

/**
 * Whether POST /auth/dev-login exists (AUTH_DEV_LOGIN=1, never in production). DESIGN §6 has no
 * capability endpoint, so we ask the route itself with an empty body: a 404 means the route is
 * not mounted; any other answer (400 for the missing fields) means it is. The empty body cannot
 * sign anyone in. One probe per minute per process keeps it off the auth rate limit.
 */
let lastProbe: { available: boolean; at: number } | null = null;

@Injectable({ providedIn: 'root' })
export class DevSignInAvailability {
  private readonly http = inject(HttpClient);
  private readonly transferState = inject(TransferState);

  /** null while unknown; the form is shown unless the API said 404. */
  readonly available = signal<boolean | null>(null);

  async check(now = Date.now()): Promise<void> {
    const fromServerRender = this.transferState.get(STATE_KEY, null);
    if (fromServerRender !== null) {
      this.available.set(fromServerRender);
      return;
    }
    if (!lastProbe || now - lastProbe.at > PROBE_TTL_MS) {
      const available = await this.probe();
      if (available === null) return;
      lastProbe = { available, at: now };
    }
    this.available.set(lastProbe.available);
    this.transferState.set(STATE_KEY, lastProbe.available);
  }

  /** A submission answered 404: the route went away since the probe. */
  markUnavailable(): void {
    lastProbe = { available: false, at: Date.now() };
    this.available.set(false);
  }

  private async probe(): Promise<boolean | null> {
    try {
      await firstValueFrom(this.http.post('/auth/dev-login', {}));
      return true;
    } catch (error) {
      if (!(error instanceof HttpErrorResponse)) throw error;
      if (error.status === 404) return false;
      if (error.status === 0 || error.status >= 500) {
        console.error(`Dev sign-in probe failed with status ${error.status}`);
        return null;
      }
      return true;
    }
  }
}
