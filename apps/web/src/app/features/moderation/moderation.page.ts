import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { RecentVerification } from '../../core/api/api-types';
import { VerificationsApi } from '../../core/api/verifications.api';
import { describeHttpError } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { SessionStore } from '../../core/session/session.store';
import { BikeTitlePipe } from '../../shared/formatting';

/**
 * /moderation: the newest visible verifications, for moderators and admins to hide (with a reason,
 * recorded as a VerificationModerated event) and, while the page is open, restore.
 */
@Component({
  selector: 'app-moderation-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, BikeTitlePipe],
  template: `
    <h1>Moderation queue</h1>
    @if (!canModerate()) {
      <p class="card">This page is for moderators. @if (!session.me()) { <a routerLink="/sign-in" [queryParams]="{ returnUrl: '/moderation' }">Sign in</a> }</p>
    } @else if (recent.hasValue()) {
      <p class="muted">The newest verifications. Hiding one takes it out of every fit status; the reason is kept in the audit trail.</p>
      <ul class="queue">
        @for (item of rows(); track item.verificationId) {
          <li class="card queue__item" [class.is-hidden]="hidden().has(item.verificationId)">
            <div>
              <a [routerLink]="['/parts', item.part.slug]">{{ item.part.brand }} {{ item.part.name }}</a>
              <span class="muted"> on the {{ item.bike | bikeTitle }}</span>
              <div>{{ item.fits ? 'Fits' : 'Does not fit' }} · by {{ item.contributor.displayName }} · {{ item.submittedAt.slice(0, 10) }}</div>
            </div>
            <form class="queue__action" (submit)="moderate($event, item.verificationId, reason.value)">
              <label class="visually-hidden" [attr.for]="'reason-' + item.verificationId">Reason</label>
              <input #reason [id]="'reason-' + item.verificationId" required maxlength="2000" placeholder="Reason (kept in the audit trail)" />
              <button type="submit" class="button button--small" [disabled]="busy()">{{ hidden().has(item.verificationId) ? 'Restore' : 'Hide' }}</button>
            </form>
            @if (hidden().has(item.verificationId)) { <p class="queue__state muted" role="status">Hidden</p> }
          </li>
        } @empty {
          <li class="card muted">Nothing to review.</li>
        }
      </ul>
      @if (error(); as message) { <p class="form-message form-message--error" role="alert">{{ message }}</p> }
    } @else if (recent.error()) {
      <p class="form-message form-message--error" role="alert">The queue could not be loaded. Please try again.</p>
    } @else {
      <p class="muted" role="status">Loading…</p>
    }
  `,
  styles: `
    .queue { list-style: none; padding: 0; display: grid; gap: 0.6rem; }
    .queue__item { display: grid; gap: 0.5rem; }
    .queue__item.is-hidden { opacity: 0.7; }
    .queue__action { display: flex; gap: 0.5rem; }
    .queue__action input { min-width: 0; flex: 1; }
  `,
})
export class ModerationPage {
  private readonly verificationsApi = inject(VerificationsApi);
  protected readonly session = inject(SessionStore);
  protected readonly canModerate = computed(() => ['moderator', 'admin'].includes(this.session.me()?.role ?? ''));
  protected readonly recent = this.verificationsApi.recentResource(50);
  /** Rows hidden on this page stay listed (the queue read shows visible ones only), so they can be restored. */
  private readonly kept = signal<RecentVerification[]>([]);
  protected readonly hidden = signal<ReadonlySet<string>>(new Set());
  protected readonly rows = computed(() => {
    const visible = this.recent.hasValue() ? this.recent.value().items : [];
    const ids = new Set(visible.map((item) => item.verificationId));
    return [...visible, ...this.kept().filter((item) => !ids.has(item.verificationId))];
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    inject(PageMeta).set({ title: 'Moderation queue', description: 'Review community verifications.', noIndex: true });
  }

  protected async moderate(event: Event, verificationId: string, reason: string): Promise<void> {
    event.preventDefault();
    const hide = !this.hidden().has(verificationId);
    const item = this.rows().find((row) => row.verificationId === verificationId);
    this.busy.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(this.verificationsApi.moderate(verificationId, hide ? 'hide' : 'restore', reason.trim()));
      const next = new Set(this.hidden());
      if (hide) {
        next.add(verificationId);
        if (item) this.kept.set([...this.kept(), item]);
      } else next.delete(verificationId);
      this.hidden.set(next);
    } catch (error) {
      this.error.set(describeHttpError(error, 'That could not be saved. Please try again.'));
    } finally {
      this.busy.set(false);
    }
  }
}
