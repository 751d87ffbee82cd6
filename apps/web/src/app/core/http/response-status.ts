import { inject, Injectable, RESPONSE_INIT } from '@angular/core';

/** Sets the HTTP status of the server-rendered response (no-op in the browser). */
@Injectable({ providedIn: 'root' })
export class ResponseStatus {
  private readonly responseInit = inject(RESPONSE_INIT, { optional: true });

  notFound(): void {
    this.set(404);
  }

  set(status: number): void {
    if (this.responseInit) this.responseInit.status = status;
  }
}
