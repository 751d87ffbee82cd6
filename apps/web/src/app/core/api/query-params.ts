import { HttpParams } from '@angular/common/http';

export type QueryValue = string | number | boolean | null | undefined;

/** Drops empty values so URLs (and transfer-cache keys) stay the same for the same query. */
export function toHttpParams(query: Record<string, QueryValue>): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params = params.set(key, String(value));
  }
  return params;
}

export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}
