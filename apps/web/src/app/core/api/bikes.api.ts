import { HttpClient, httpResource, HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BikeOptions, BikePage, BikeParts, CompatibilityStatus } from './api-types';
import { RiderRegion } from '../rider/rider-region';
import { pathSegment, toHttpParams } from './query-params';

export interface BikeQuery {
  year?: number;
  make?: string;
  model?: string;
  q?: string;
  page?: number;
  limit?: number;
}

/** The orders GET /api/bikes/:idOrSlug/parts accepts; anything else is a 400, so the web never sends it. */
export const BIKE_PART_SORTS = ['relevance', 'price_asc', 'price_desc', 'confirmations', 'name'] as const;
export type BikePartSort = (typeof BIKE_PART_SORTS)[number];

export interface BikePartsQuery {
  category?: string;
  brand?: string;
  status?: CompatibilityStatus;
  minPrice?: number;
  maxPrice?: number;
  sort?: BikePartSort;
  page?: number;
  limit?: number;
}

/** Bikes and the cascade selector: GET /api/bikes, /api/bikes/options, /api/bikes/:idOrSlug/parts. */
@Injectable({ providedIn: 'root' })
export class BikesApi {
  private readonly http = inject(HttpClient);
  private readonly region = inject(RiderRegion).regionCode;

  find(query: BikeQuery): Observable<BikePage> {
    return this.http.get<BikePage>('/api/bikes', { params: toHttpParams({ ...query }) });
  }

  /** Must be called in an injection context (a component field initializer). */
  optionsResource(
    query: () => { year?: number; make?: string } | undefined,
  ): HttpResourceRef<BikeOptions | undefined> {
    return httpResource<BikeOptions>(() => {
      const current = query();
      return current ? { url: '/api/bikes/options', params: toHttpParams({ ...current }) } : undefined;
    });
  }

  /** Must be called in an injection context. `undefined` from `request` means "nothing to load". */
  partsResource(
    request: () => { bike: string; query: BikePartsQuery } | undefined,
  ): HttpResourceRef<BikeParts | undefined> {
    return httpResource<BikeParts>(() => {
      const current = request();
      if (!current) return undefined;
      return {
        url: `/api/bikes/${pathSegment(current.bike)}/parts`,
        params: toHttpParams({ ...current.query, region: this.region() }),
      };
    });
  }
}
