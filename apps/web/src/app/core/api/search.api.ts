import { httpResource, HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { RiderRegion } from '../rider/rider-region';
import { CompatibilityStatus, SearchResults } from './api-types';
import { toHttpParams } from './query-params';

export interface SearchQuery {
  q: string;
  bikeId?: string;
  category?: string;
  brand?: string;
  status?: CompatibilityStatus;
  /** With bikeId: only the parts that fit it (verified or community). */
  fits?: boolean;
  minPrice?: number;
  maxPrice?: number;
  sort?: string;
  page?: number;
  limit?: number;
}

/** GET /api/search: typo-tolerant catalog search with facets. */
@Injectable({ providedIn: 'root' })
export class SearchApi {
  private readonly region = inject(RiderRegion).regionCode;

  /** Must be called in an injection context. */
  searchResource(query: () => SearchQuery | undefined): HttpResourceRef<SearchResults | undefined> {
    return httpResource<SearchResults>(() => {
      const current = query();
      return current ? { url: '/api/search', params: toHttpParams({ ...current, region: this.region() }) } : undefined;
    });
  }
}
