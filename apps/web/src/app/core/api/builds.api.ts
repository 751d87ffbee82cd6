import { HttpClient, HttpHeaders, httpResource, HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { Build, BuildCreated, BuildDeleted, BuildDraft, BuildSummary, NewBuild } from './api-types';
import { RiderRegion } from '../rider/rider-region';
import { pathSegment, toHttpParams } from './query-params';

/** PUT /api/builds/:id answers like POST: the new revision and the position. */
export type BuildUpdated = BuildCreated;

/** Builds: GET/POST /api/builds, GET/PUT /api/builds/:id. */
@Injectable({ providedIn: 'root' })
export class BuildsApi {
  private readonly http = inject(HttpClient);
  /** Totals and best prices are in the rider's currency (the API's `region`). */
  private readonly region = inject(RiderRegion).regionCode;

  /** Must be called in an injection context. */
  mineResource(enabled: () => boolean, minPosition?: string): HttpResourceRef<{ items: BuildSummary[] } | undefined> {
    return httpResource<{ items: BuildSummary[] }>(() =>
      enabled()
        ? { url: '/api/builds', params: toHttpParams({ region: this.region() }), ...(minPosition ? { headers: { 'X-Min-Position': minPosition } } : {}) }
        : undefined,
    );
  }

  /** Must be called in an injection context. */
  buildResource(
    request: () => { id: string; minPosition?: string } | undefined,
  ): HttpResourceRef<Build | undefined> {
    return httpResource<Build>(() => {
      const current = request();
      if (!current) return undefined;
      return {
        url: `/api/builds/${pathSegment(current.id)}`,
        params: toHttpParams({ region: this.region() }),
        ...(current.minPosition ? { headers: { 'X-Min-Position': current.minPosition } } : {}),
      };
    });
  }

  buildAfter(id: string, minPosition: string | number): Observable<Build> {
    return this.http.get<Build>(`/api/builds/${pathSegment(id)}`, {
      params: toHttpParams({ region: this.region() }),
      headers: new HttpHeaders({ 'X-Min-Position': String(minPosition) }),
      transferCache: false,
    });
  }

  create(draft: NewBuild): Observable<BuildCreated> {
    return this.http.post<BuildCreated>('/api/builds', draft);
  }

  /** Owner only; `basedOnRevision` guards against deleting a build changed meanwhile. */
  delete(id: string, basedOnRevision: number): Observable<BuildDeleted> {
    return this.http.delete<BuildDeleted>(`/api/builds/${pathSegment(id)}`, {
      headers: new HttpHeaders({ 'If-Match': String(basedOnRevision) }),
    });
  }

  /** Optimistic concurrency: the API answers 409/412 when `basedOnRevision` is stale. */
  update(id: string, draft: BuildDraft, basedOnRevision: number): Observable<BuildUpdated> {
    return this.http.put<BuildUpdated>(`/api/builds/${pathSegment(id)}`, draft, {
      headers: new HttpHeaders({ 'If-Match': String(basedOnRevision) }),
    });
  }
}
