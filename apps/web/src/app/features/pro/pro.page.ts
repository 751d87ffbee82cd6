import { ChangeDetectionStrategy, Component, computed, DOCUMENT, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { BillingApi } from '../../core/api/billing.api';
import { describeHttpError } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { SessionStore } from '../../core/session/session.store';
import { RiderRegion } from '../../core/rider/rider-region';
import { MoneyPipe } from '../../shared/formatting';

/** /pro: what Pro adds, and Stripe Checkout (POST /api/billing/checkout, then go to its URL). */
@Component({
  selector: 'app-pro-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MoneyPipe],
  template: `
    <section class="pro">
      <h1>MotoPartPicker Pro</h1>
      <p class="lead">For riders who wait for the right price.</p>
      <ul class="pro__features">
        <li><strong>Price-drop alerts</strong> on any part, at any retailer.</li>
        <li><strong>Unlimited builds</strong> with sharing by email.</li>
        <li><strong>Price history</strong> beyond 90 days.</li>
      </ul>
      <div class="card pro__cta">
        @if (proPrice.hasValue()) {
          @let plan = proPrice.value();
          @if (plan.price; as price) {
            <p class="pro__price"><strong>{{ price.amountCents | money: price.currency }}</strong> a month <span class="muted">({{ price.currency }}; any tax is shown at checkout)</span></p>
          } @else if (plan.otherPrices.length > 0) {
            <p class="pro__price">Pro is not priced in {{ plan.currency }} yet. It is billed in
              @for (other of plan.otherPrices; track other.currency; let last = $last) {
                <strong>{{ other.amountCents | money: other.currency }}</strong> ({{ other.currency }}){{ last ? '' : ' or ' }}
              } a month; your bank converts it.</p>
          } @else {
            <p class="pro__price muted">The price is shown at checkout, before you pay.</p>
          }
        }
        @if (isPro()) {
          <p>You are on Pro. Thank you for supporting independent fitment data.</p>
          <a routerLink="/account" class="button button--ghost">Manage your plan</a>
        } @else if (session.me()) {
          <button type="button" class="button" [disabled]="busy()" (click)="checkout()">{{ busy() ? 'Opening checkout…' : 'Upgrade to Pro' }}</button>
          <p class="muted">Secure payment by Stripe. Cancel any time.</p>
        } @else {
          <a routerLink="/sign-in" [queryParams]="{ returnUrl: '/pro' }" class="button">Sign in to upgrade</a>
        }
        @if (error(); as message) { <p class="form-message form-message--error" role="alert">{{ message }}</p> }
      </div>
    </section>
  `,
  styles: `.pro { max-width: 720px; } .pro__features { font-size: 1.05rem; line-height: 1.9; } .pro__cta { margin-top: 1rem; } .pro__price { font-size: 1.15rem; margin-top: 0; }`,
})
export class ProPage {
  private readonly billingApi = inject(BillingApi);
  private readonly document = inject(DOCUMENT);
  protected readonly session = inject(SessionStore);
  private readonly region = inject(RiderRegion);
  protected readonly proPrice = this.billingApi.proPriceResource(() => this.region.regionCode());
  protected readonly isPro = computed(() => this.session.me()?.plan === 'pro');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    inject(PageMeta).set({
      title: 'Pro',
      description: 'MotoPartPicker Pro: price-drop alerts, unlimited builds and longer price history.',
      canonicalPath: '/pro',
    });
  }

  protected async checkout(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const { url } = await firstValueFrom(this.billingApi.checkout());
      this.document.location.assign(url);
    } catch (error) {
      this.error.set(describeHttpError(error, 'Upgrading to Pro is not available right now. Nothing was charged; please try again later.'));
      this.busy.set(false);
    }
  }
}
