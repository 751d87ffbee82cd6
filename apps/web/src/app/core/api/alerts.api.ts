import { HttpClient, httpResource, HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { pathSegment } from './query-params';

/** GET /api/alerts: one of the signed-in rider's price alerts. */
export interface PriceAlert {
  id: string;
  part: { id: string; slug: string | null; brand: string | null; name: string | null };
  targetPriceCents: number;
  /** Only offers in this currency are compared with the target (null: any, for older alerts). */
  currency: string | null;
  armed: boolean;
  timesFired: number;
  lastFiredAt: string | null;
  lastFiredPriceCents: number | null;
  createdAt: string;
}

/** Price-drop alerts (Pro): GET/POST /api/alerts, DELETE /api/alerts/:id. */
@Injectable({ providedIn: 'root' })
export class AlertsApi {
  private readonly http = inject(HttpClient);

  /** Must be called in an injection context; personal, so never from the transfer cache. */
  mineResource(enabled: () => boolean): HttpResourceRef<{ items: PriceAlert[] } | undefined> {
    return httpResource<{ items: PriceAlert[] }>(() => (enabled() ? { url: '/api/alerts', transferCache: false } : undefined));
  }

  create(body: { partId: string; targetPriceCents: number; currency: string }): Observable<{ id: string }> {
    return this.http.post<{ id: string }>('/api/alerts', body);
  }

  delete(id: string): Observable<void> {
    return this.http.delete<void>(`/api/alerts/${pathSegment(id)}`);
  }
}
