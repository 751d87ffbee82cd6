import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { AlertsApi } from '../../core/api/alerts.api';
import { describeHttpError } from '../../core/http/http-errors';
import { RiderRegion } from '../../core/rider/rider-region';
import { SessionStore } from '../../core/session/session.store';
import { MoneyPipe } from '../../shared/formatting';

/**
 * A price-drop alert on the part page (Pro): a target in the rider's currency, compared only with
 * offers in that currency; the rider's alerts on this part, each deletable.
 */
@Component({
  selector: 'app-price-alert-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MoneyPipe],
  template: `
    @if (!session.me()) {
      <p class="muted"><a routerLink="/sign-in" [queryParams]="{ returnUrl: returnUrl() }">Sign in</a> to get an email when this part drops to your price (Pro).</p>
    } @else if (!isPro()) {
      <p class="muted">Price-drop alerts are part of <a routerLink="/pro">Pro</a>.</p>
    } @else {
      @if (alertsHere().length > 0) {
        <ul class="alert-list">
          @for (alert of alertsHere(); track alert.id) {
            <li class="alert-row">
              <span>Email me at or below <strong class="alert-target" [attr.data-currency]="alert.currency">{{ alert.targetPriceCents | money: (alert.currency ?? currency()) }}</strong>
                @if (!alert.armed) { <span class="muted">(sent; re-arms when the price rises again)</span> }</span>
              <button type="button" class="link-button" [disabled]="busy()" (click)="remove(alert.id)">Delete<span class="visually-hidden"> the alert at {{ alert.targetPriceCents | money: (alert.currency ?? currency()) }}</span></button>
            </li>
          }
        </ul>
      }
      <form class="alert-form" (submit)="create($event, target.value)">
        <label for="alert-target">Email me when an in-stock offer in {{ currency() }} is at or below</label>
        <div class="alert-form__row">
          <input #target id="alert-target" name="target" type="number" min="0.01" step="0.01" inputmode="decimal" required [placeholder]="currency()" />
          <button type="submit" class="button button--small" [disabled]="busy()">{{ busy() ? 'Saving…' : 'Create alert' }}</button>
        </div>
      </form>
      @if (message(); as text) { <p class="form-message" [class.form-message--error]="isError()" [class.form-message--ok]="!isError()" role="status">{{ text }}</p> }
    }
  `,
  styles: `
    .alert-list { list-style: none; padding: 0; margin: 0 0 0.6rem; display: grid; gap: 0.4rem; }
    .alert-row { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.5rem; }
    .alert-form__row { display: flex; gap: 0.5rem; margin-top: 0.3rem; }
    .alert-form__row input { min-width: 0; flex: 1; }
  `,
})
export class PriceAlertPanel {
  private readonly alertsApi = inject(AlertsApi);
  protected readonly session = inject(SessionStore);
  protected readonly currency = inject(RiderRegion).currency;
  readonly partId = input.required<string>();
  readonly partSlug = input.required<string>();

  protected readonly isPro = computed(() => this.session.me()?.plan === 'pro');
  protected readonly alerts = this.alertsApi.mineResource(() => this.isPro());
  protected readonly alertsHere = computed(() => (this.alerts.hasValue() ? this.alerts.value().items.filter((alert) => alert.part.id === this.partId()) : []));
  protected readonly returnUrl = computed(() => `/parts/${this.partSlug()}`);
  protected readonly busy = signal(false);
  protected readonly message = signal<string | null>(null);
  protected readonly isError = signal(false);

  protected async create(event: Event, value: string): Promise<void> {
    event.preventDefault();
    const cents = Math.round(Number(value) * 100);
    if (!Number.isFinite(cents) || cents < 1) {
      this.say('Enter the price you would pay, e.g. 749.99.', true);
      return;
    }
    await this.run(() => firstValueFrom(this.alertsApi.create({ partId: this.partId(), targetPriceCents: cents, currency: this.currency() })), 'Alert saved. We email you when an offer reaches it.');
  }

  protected async remove(id: string): Promise<void> {
    await this.run(() => firstValueFrom(this.alertsApi.delete(id)), 'Alert deleted.');
  }

  private async run(action: () => Promise<unknown>, done: string): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    try {
      await action();
      this.alerts.reload();
      this.say(done, false);
    } catch (error) {
      this.say(describeHttpError(error, 'The alert could not be saved. Please try again.'), true);
    } finally {
      this.busy.set(false);
    }
  }

  private say(text: string, isError: boolean): void {
    this.message.set(text);
    this.isError.set(isError);
  }
}
