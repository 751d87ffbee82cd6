import { HttpClient, httpResource, HttpResourceRef } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BillingRedirect, ProPlanPrice } from './api-types';
import { toHttpParams } from './query-params';

/** Stripe Checkout and billing portal: the API answers the URL to send the rider to. */
@Injectable({ providedIn: 'root' })
export class BillingApi {
  private readonly http = inject(HttpClient);

  /** Must be called in an injection context: the Pro price in the region's currency, re-read when the region changes. */
  proPriceResource(region: () => string): HttpResourceRef<ProPlanPrice | undefined> {
    return httpResource<ProPlanPrice>(() => ({ url: '/api/billing/pro-price', params: toHttpParams({ region: region() }) }));
  }

  checkout(): Observable<BillingRedirect> {
    return this.http.post<BillingRedirect>('/api/billing/checkout', {});
  }

  portal(): Observable<BillingRedirect> {
    return this.http.post<BillingRedirect>('/api/billing/portal', {});
  }
}
