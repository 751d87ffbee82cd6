import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { BillingRedirect } from './api-types';

/** Stripe Checkout and billing portal: the API answers the URL to send the rider to. */
@Injectable({ providedIn: 'root' })
export class BillingApi {
  private readonly http = inject(HttpClient);

  checkout(): Observable<BillingRedirect> {
    return this.http.post<BillingRedirect>('/api/billing/checkout', {});
  }

  portal(): Observable<BillingRedirect> {
    return this.http.post<BillingRedirect>('/api/billing/portal', {});
  }
}
