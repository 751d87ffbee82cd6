import { ChangeDetectionStrategy, Component, computed, inject, input, PendingTasks, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Role } from '../../core/api/api-types';
import { SessionApi } from '../../core/api/session.api';
import { describeHttpError, httpStatusOf } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { DevSignInAvailability } from '../../core/session/dev-sign-in-availability';
import { SessionStore } from '../../core/session/session.store';

/** /sign-in: Google, and the dev sign-in form when the API offers it (DESIGN §6). */
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
  protected readonly devSignIn = inject(DevSignInAvailability);

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
    // PendingTasks holds the server render until the probe's answer is in the page (and TransferState).
    void inject(PendingTasks).run(() => this.devSignIn.check());
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
        this.devSignIn.markUnavailable();
      } else {
        this.error.set(describeHttpError(error, 'Sign-in failed. Please try again.'));
      }
    } finally {
      this.busy.set(false);
    }
  }
}
