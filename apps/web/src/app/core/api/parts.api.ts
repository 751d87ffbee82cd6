import { HttpClient, HttpHeaders, httpResource, HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import {
  PartDetail,
  PriceHistory,
  SubmitVerification,
  VerificationAccepted,
  VerificationAudit,
} from './api-types';
import { pathSegment, toHttpParams } from './query-params';

/** Parts, their price history and their verification audit trail. */
@Injectable({ providedIn: 'root' })
export class PartsApi {
  private readonly http = inject(HttpClient);

  /** Must be called in an injection context. */
  partResource(slug: () => string | undefined): HttpResourceRef<PartDetail | undefined> {
    return httpResource<PartDetail>(() => {
      const current = slug();
      return current ? `/api/parts/${pathSegment(current)}` : undefined;
    });
  }

  /** Must be called in an injection context. */
  priceHistoryResource(partId: () => string | undefined, days = 90): HttpResourceRef<PriceHistory | undefined> {
    return httpResource<PriceHistory>(() => {
      const current = partId();
      return current ? { url: `/api/prices/${pathSegment(current)}/history`, params: toHttpParams({ days }) } : undefined;
    });
  }

  /** Must be called in an injection context. */
  verificationsResource(partId: () => string | undefined): HttpResourceRef<VerificationAudit | undefined> {
    return httpResource<VerificationAudit>(() => {
      const current = partId();
      return current ? `/api/parts/${pathSegment(current)}/verifications` : undefined;
    });
  }

  /**
   * Reads the audit trail once the projections have caught up with `minPosition`, so a rider sees
   * their own verification at once (DESIGN §5, read-your-writes).
   */
  verificationsAfter(partId: string, minPosition: string | number): Observable<VerificationAudit> {
    return this.http.get<VerificationAudit>(`/api/parts/${pathSegment(partId)}/verifications`, {
      headers: new HttpHeaders({ 'X-Min-Position': String(minPosition) }),
      transferCache: false,
    });
  }

  submitVerification(body: SubmitVerification, idempotencyKey: string): Observable<VerificationAccepted> {
    return this.http.post<VerificationAccepted>('/api/verifications', body, {
      headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }),
    });
  }
}
