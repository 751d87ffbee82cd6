import { ChangeDetectionStrategy, Component, computed, DOCUMENT, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { EmailPreferences } from '../../core/api/api-types';
import { AlertsApi } from '../../core/api/alerts.api';
import { BillingApi } from '../../core/api/billing.api';
import { RiderRegion } from '../../core/rider/rider-region';
import { BikeTitlePipe, MoneyPipe } from '../../shared/formatting';
import { Garage } from '../../core/rider/garage';
import { RiderAccountSync } from '../../core/rider/rider-account-sync';
import { SessionApi } from '../../core/api/session.api';
import { describeHttpError, httpStatusOf } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { SessionStore } from '../../core/session/session.store';

const DEFAULT_PREFERENCES: EmailPreferences = { weeklyDigest: false };

/** /account: plan, billing portal, region, garage bike, price alerts, email preferences. */
@Component({
  selector: 'app-account-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MoneyPipe, BikeTitlePipe],
  templateUrl: './account.page.html',
  styles: `.card { margin-bottom: 1.25rem; max-width: 720px; } .card h2 { margin-top: 0; } dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; } dt { font-weight: 700; } .account-alerts { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; }`,
})
export class AccountPage {
  private readonly sessionApi = inject(SessionApi);
  private readonly billingApi = inject(BillingApi);
  private readonly document = inject(DOCUMENT);
  protected readonly session = inject(SessionStore);

  protected readonly edited = signal<EmailPreferences | null>(null);
  protected readonly preferences = computed(
    () => this.edited() ?? this.session.me()?.emailPreferences ?? DEFAULT_PREFERENCES,
  );
  protected readonly isPro = computed(() => this.session.me()?.plan === 'pro');
  protected readonly region = inject(RiderRegion);
  protected readonly garage = inject(Garage);
  private readonly accountSync = inject(RiderAccountSync);
  private readonly alertsApi = inject(AlertsApi);
  protected readonly alerts = this.alertsApi.mineResource(() => this.isPro());
  protected readonly busy = signal(false);
  protected readonly message = signal<{ text: string; isError: boolean } | null>(null);
  protected readonly preferenceOptions: { key: keyof EmailPreferences; label: string }[] = [
    { key: 'weeklyDigest', label: 'Weekly digest of new parts and prices for my bikes' },
  ];

  constructor() {
    inject(PageMeta).set({ title: 'Your account', description: 'Your MotoPartPicker account.', noIndex: true });
  }

  protected forgetBike(): void {
    this.accountSync.forgetBike();
  }

  protected toggle(key: keyof EmailPreferences, value: boolean): void {
    this.edited.set({ ...this.preferences(), [key]: value });
  }

  protected async savePreferences(event: Event): Promise<void> {
    event.preventDefault();
    this.busy.set(true);
    this.message.set(null);
    try {
      const saved = await firstValueFrom(this.sessionApi.updateEmailPreferences(this.preferences()));
      const me = this.session.me();
      if (me) this.session.signedIn({ ...me, emailPreferences: { ...me.emailPreferences, ...saved } });
      this.edited.set(null);
      this.message.set({ text: 'Preferences saved.', isError: false });
    } catch (error) {
      const status = httpStatusOf(error);
      this.message.set({
        text:
          status === 404 || status === 405
            ? 'Saving email preferences is not available on this server.'
            : describeHttpError(error, 'Your preferences could not be saved.'),
        isError: true,
      });
    } finally {
      this.busy.set(false);
    }
  }

  protected async openBillingPortal(): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    try {
      const { url } = await firstValueFrom(this.billingApi.portal());
      this.document.location.assign(url);
    } catch (error) {
      this.message.set({ text: describeHttpError(error, 'Billing is not available right now.'), isError: true });
      this.busy.set(false);
    }
  }

  protected async deleteAlert(id: string): Promise<void> {
    this.busy.set(true);
    try {
      await firstValueFrom(this.alertsApi.delete(id));
      this.alerts.reload();
      this.message.set({ text: 'Alert deleted.', isError: false });
    } catch (error) {
      this.message.set({ text: describeHttpError(error, 'The alert could not be deleted. Please try again.'), isError: true });
    } finally {
      this.busy.set(false);
    }
  }
}
