import { httpResource, HttpResourceRef } from '@angular/common/http';
import { Injectable } from '@angular/core';
import { RecentVerifications } from './api-types';
import { toHttpParams } from './query-params';

/** Community verifications across the catalog: GET /api/verifications/recent. */
@Injectable({ providedIn: 'root' })
export class VerificationsApi {
  /** Must be called in an injection context. The API caps `limit` at 50. */
  recentResource(limit: number): HttpResourceRef<RecentVerifications | undefined> {
    return httpResource<RecentVerifications>(() => ({ url: '/api/verifications/recent', params: toHttpParams({ limit }) }));
  }
}
