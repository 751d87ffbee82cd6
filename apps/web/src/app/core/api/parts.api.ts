import { HttpClient, HttpHeaders, httpResource, HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import {
  MyVerifications,
  PartCompatibility,
  PartDetail,
  PriceHistory,
  SubmitVerification,
  VerificationAccepted,
  VerificationAudit,
} from './api-types';
import { RiderRegion } from '../rider/rider-region';
import { pathSegment, toHttpParams } from './query-params';

/** Parts, their price history and their verification audit trail. */
@Injectable({ providedIn: 'root' })
export class PartsApi {
  private readonly http = inject(HttpClient);
  private readonly region = inject(RiderRegion).regionCode;

  /** Must be called in an injection context. */
  partResource(slug: () => string | undefined): HttpResourceRef<PartDetail | undefined> {
    return httpResource<PartDetail>(() => {
      const current = slug();
      return current ? { url: `/api/parts/${pathSegment(current)}`, params: toHttpParams({ region: this.region() }) } : undefined;
    });
  }

  /** Must be called in an injection context. */
  priceHistoryResource(partId: () => string | undefined, days = 90): HttpResourceRef<PriceHistory | undefined> {
    return httpResource<PriceHistory>(() => {
      const current = partId();
      return current ? { url: `/api/prices/${pathSegment(current)}/history`, params: toHttpParams({ days, region: this.region() }) } : undefined;
    });
  }

  /** Must be called in an injection context. */
  verificationsResource(partId: () => string | undefined): HttpResourceRef<VerificationAudit | undefined> {
    return httpResource<VerificationAudit>(() => {
      const current = partId();
      return current ? `/api/parts/${pathSegment(current)}/verifications` : undefined;
    });
  }

  /** Must be called in an injection context: whether the part fits one bike (the rider's garage bike). */
  compatibilityResource(request: () => { partId: string; bikeId: string } | undefined): HttpResourceRef<PartCompatibility | undefined> {
    return httpResource<PartCompatibility>(() => {
      const current = request();
      return current
        ? { url: `/api/parts/${pathSegment(current.partId)}/compatibility`, params: toHttpParams({ bikeId: current.bikeId }) }
        : undefined;
    });
  }

  /** Must be called in an injection context: personal, so never from the transfer cache. */
  myVerificationsResource(partId: () => string | undefined): HttpResourceRef<MyVerifications | undefined> {
    return httpResource<MyVerifications>(() => {
      const current = partId();
      return current ? { url: '/api/verifications/mine', params: toHttpParams({ partId: current }), transferCache: false } : undefined;
    });
  }

  myVerificationsAfter(partId: string, minPosition: string | number): Observable<MyVerifications> {
    return this.http.get<MyVerifications>('/api/verifications/mine', {
      params: toHttpParams({ partId }),
      headers: new HttpHeaders({ 'X-Min-Position': String(minPosition) }),
      transferCache: false,
    });
  }

  /** The part (and so its fit list) once the projections have caught up with `minPosition`. */
  partAfter(idOrSlug: string, minPosition: string | number): Observable<PartDetail> {
    return this.http.get<PartDetail>(`/api/parts/${pathSegment(idOrSlug)}`, {
      params: toHttpParams({ region: this.region() }),
      headers: new HttpHeaders({ 'X-Min-Position': String(minPosition) }),
      transferCache: false,
    });
  }

  retractVerification(verificationId: string, idempotencyKey: string): Observable<VerificationAccepted> {
    return this.http.post<VerificationAccepted>(`/api/verifications/${pathSegment(verificationId)}/retract`, {}, {
      headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }),
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
