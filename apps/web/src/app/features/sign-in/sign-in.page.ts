import { ChangeDetectionStrategy, Component, computed, inject, input, PendingTasks, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Role } from '../../core/api/api-types';
import { SessionApi } from '../../core/api/session.api';
import { describeHttpError, httpStatusOf } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { SignInProvidersStore } from '../../core/session/sign-in-providers';
import { SessionStore } from '../../core/session/session.store';

/** /sign-in: Google and/or the dev sign-in form, as GET /auth/providers says the API offers them. */
@Component({
  selector: 'app-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './sign-in.page.html',
  styleUrl: './sign-in.page.css',
})
export class SignInPage {
  private readonly sessionApi = inject(SessionApi);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly providersStore = inject(SignInProvidersStore);
  /** Google stays offered unless the API says it is not configured. */
  protected readonly googleEnabled = computed(() => this.providersStore.providers()?.google !== false);
  protected readonly devLoginEnabled = computed(() => this.providersStore.providers()?.devLogin === true);
  protected readonly providersKnown = computed(() => this.providersStore.providers() !== null);

  readonly returnUrl = input<string>();

  protected readonly email = signal('');
  protected readonly displayName = signal('');
  protected readonly role = signal<Role>('user');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly canSubmit = computed(
    () => /.+@.+\..+/.test(this.email().trim()) && this.displayName().trim().length > 0 && !this.busy(),
  );

  constructor() {
    inject(PageMeta).set({ title: 'Sign in', description: 'Sign in to MotoPartPicker.', noIndex: true });
    // PendingTasks holds the server render until the providers are known, so the HTML shows the right buttons.
    void inject(PendingTasks).run(() => this.providersStore.load());
  }

  /** Only same-site paths: a returnUrl must never send the rider to another site. */
  protected safeReturnUrl(): string {
    const target = this.returnUrl() ?? '';
    return target.startsWith('/') && !target.startsWith('//') ? target : '/account';
  }

  protected async devLogin(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.canSubmit()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(
        this.sessionApi.devLogin({ email: this.email().trim(), displayName: this.displayName().trim(), role: this.role() }),
      );
      await this.session.refresh();
      await this.router.navigateByUrl(this.safeReturnUrl());
    } catch (error) {
      if (httpStatusOf(error) === 404) {
        this.providersStore.markDevLoginUnavailable();
      } else {
        this.error.set(describeHttpError(error, 'Sign-in failed. Please try again.'));
      }
    } finally {
      this.busy.set(false);
    }
  }
}
