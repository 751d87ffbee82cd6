import { HttpClient, httpResource, HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { HiddenVerifications, RecentVerifications, VerificationAccepted } from './api-types';
import { pathSegment, toHttpParams } from './query-params';

/** Community verifications across the catalog: GET /api/verifications/recent. */
@Injectable({ providedIn: 'root' })
export class VerificationsApi {
  private readonly http = inject(HttpClient);

  /** Must be called in an injection context. The API caps `limit` at 50. */
  recentResource(limit: number): HttpResourceRef<RecentVerifications | undefined> {
    return httpResource<RecentVerifications>(() => ({ url: '/api/verifications/recent', params: toHttpParams({ limit }) }));
  }

  /** Moderators and admins: what is hidden now (newest hidden first), so it can be restored. */
  hiddenResource(request: () => { page: number; minPosition?: number } | undefined, limit: number): HttpResourceRef<HiddenVerifications | undefined> {
    return httpResource<HiddenVerifications>(() => {
      const current = request();
      if (!current) return undefined;
      return {
        url: '/api/admin/verifications/hidden',
        params: toHttpParams({ page: current.page, limit }),
        ...(current.minPosition ? { headers: { 'X-Min-Position': String(current.minPosition) } } : {}),
      };
    });
  }

  /** Moderators and admins: hide a verification (it stops counting) or restore it, with a reason recorded in the event. */
  moderate(verificationId: string, action: 'hide' | 'restore', reason: string): Observable<VerificationAccepted> {
    return this.http.post<VerificationAccepted>(`/api/admin/verifications/${pathSegment(verificationId)}/moderate`, { action, reason });
  }
}
