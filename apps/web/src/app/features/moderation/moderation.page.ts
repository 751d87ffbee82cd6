import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { RecentVerification } from '../../core/api/api-types';
import { VerificationsApi } from '../../core/api/verifications.api';
import { describeHttpError } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { SessionStore } from '../../core/session/session.store';
import { BikeTitlePipe } from '../../shared/formatting';

const HIDDEN_PAGE_SIZE = 20;

/**
 * /moderation: the newest visible verifications to hide, and every hidden one (GET
 * /api/admin/verifications/hidden, paged) to restore; each with a reason, recorded as a
 * VerificationModerated event.
 */
@Component({
  selector: 'app-moderation-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, BikeTitlePipe],
  template: `
    <h1>Moderation queue</h1>
    @if (!canModerate()) {
      <p class="card">This page is for moderators. @if (!session.me()) { <a routerLink="/sign-in" [queryParams]="{ returnUrl: '/moderation' }">Sign in</a> }</p>
    } @else {
      @if (error(); as message) { <p class="form-message form-message--error" role="alert">{{ message }}</p> }
      <section aria-labelledby="hidden-heading">
        <h2 id="hidden-heading">Hidden{{ hidden.hasValue() ? ' (' + hidden.value().total + ')' : '' }}</h2>
        @if (hidden.hasValue()) {
          <ul class="queue queue--hidden">
            @for (item of hidden.value().items; track item.verificationId) {
              <li class="card queue__item is-hidden">
                <div>
                  <a [routerLink]="['/parts', item.part.slug]">{{ item.part.brand }} {{ item.part.name }}</a>
                  <span class="muted"> on the {{ item.bike | bikeTitle }}</span>
                  <div>{{ item.fits ? 'Fits' : 'Does not fit' }} · by {{ item.contributor.displayName }} · {{ item.submittedAt.slice(0, 10) }}</div>
                  <div class="queue__reason">Hidden {{ item.hiddenAt.slice(0, 10) }} by {{ item.hiddenBy.displayName }}: “{{ item.reason }}”</div>
                </div>
                <form class="queue__action" (submit)="moderate($event, item.verificationId, 'restore', reason.value)">
                  <label class="visually-hidden" [attr.for]="'restore-' + item.verificationId">Reason to restore</label>
                  <input #reason [id]="'restore-' + item.verificationId" required maxlength="2000" placeholder="Reason to restore" />
                  <button type="submit" class="button button--small" [disabled]="busy()">Restore</button>
                </form>
              </li>
            } @empty {
              <li class="card muted">Nothing is hidden.</li>
            }
          </ul>
          @if (hiddenPages() > 1) {
            <nav class="pager" aria-label="Hidden verifications pages">
              <button type="button" class="button button--ghost button--small" [disabled]="hiddenPage() <= 1" (click)="goToHiddenPage(hiddenPage() - 1)">Newer</button>
              <span class="muted">Page {{ hiddenPage() }} of {{ hiddenPages() }}</span>
              <button type="button" class="button button--ghost button--small" [disabled]="hiddenPage() >= hiddenPages()" (click)="goToHiddenPage(hiddenPage() + 1)">Older</button>
            </nav>
          }
        } @else if (hidden.error()) {
          <p class="form-message form-message--error" role="alert">The hidden verifications could not be loaded. Please try again.</p>
        } @else {
          <p class="muted" role="status">Loading…</p>
        }
      </section>

      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Newest verifications</h2>
        @if (recent.hasValue()) {
          <p class="muted">Hiding one takes it out of every fit status; the reason is kept in the audit trail.</p>
          <ul class="queue">
            @for (item of visible(); track item.verificationId) {
              <li class="card queue__item">
                <div>
                  <a [routerLink]="['/parts', item.part.slug]">{{ item.part.brand }} {{ item.part.name }}</a>
                  <span class="muted"> on the {{ item.bike | bikeTitle }}</span>
                  <div>{{ item.fits ? 'Fits' : 'Does not fit' }} · by {{ item.contributor.displayName }} · {{ item.submittedAt.slice(0, 10) }}</div>
                </div>
                <form class="queue__action" (submit)="moderate($event, item.verificationId, 'hide', reason.value)">
                  <label class="visually-hidden" [attr.for]="'reason-' + item.verificationId">Reason</label>
                  <input #reason [id]="'reason-' + item.verificationId" required maxlength="2000" placeholder="Reason (kept in the audit trail)" />
                  <button type="submit" class="button button--small" [disabled]="busy()">Hide</button>
                </form>
              </li>
            } @empty {
              <li class="card muted">Nothing to review.</li>
            }
          </ul>
        } @else if (recent.error()) {
          <p class="form-message form-message--error" role="alert">The queue could not be loaded. Please try again.</p>
        } @else {
          <p class="muted" role="status">Loading…</p>
        }
      </section>
    }
  `,
  styles: `
    .queue { list-style: none; padding: 0; display: grid; gap: 0.6rem; }
    .queue__item { display: grid; gap: 0.5rem; min-width: 0; overflow-wrap: anywhere; }
    .queue__item.is-hidden { border-left: 4px solid var(--warning, #b7791f); }
    .queue__reason { margin-top: 0.25rem; }
    .queue__action { display: flex; gap: 0.5rem; }
    .queue__action input { min-width: 0; flex: 1; }
    .pager { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
  `,
})
export class ModerationPage {
  private readonly verificationsApi = inject(VerificationsApi);
  protected readonly session = inject(SessionStore);
  protected readonly canModerate = computed(() => ['moderator', 'admin'].includes(this.session.me()?.role ?? ''));
  protected readonly recent = this.verificationsApi.recentResource(50);
  protected readonly hiddenPage = signal(1);
  /** After a hide or restore, the next reads wait until the projection has it (read-your-writes). */
  private readonly minPosition = signal<number | undefined>(undefined);
  protected readonly hidden = this.verificationsApi.hiddenResource(
    () => (this.canModerate() ? { page: this.hiddenPage(), minPosition: this.minPosition() } : undefined),
    HIDDEN_PAGE_SIZE,
  );
  protected readonly hiddenPages = computed(() => (this.hidden.hasValue() ? Math.max(1, Math.ceil(this.hidden.value().total / HIDDEN_PAGE_SIZE)) : 1));
  /** The recent list is read without waiting, so one just hidden is left out here until it re-reads. */
  private readonly justHidden = signal<ReadonlySet<string>>(new Set());
  protected readonly visible = computed<RecentVerification[]>(() =>
    (this.recent.hasValue() ? this.recent.value().items : []).filter((item) => !this.justHidden().has(item.verificationId)),
  );
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    inject(PageMeta).set({ title: 'Moderation queue', description: 'Review community verifications.', noIndex: true });
  }

  protected goToHiddenPage(page: number): void {
    this.hiddenPage.set(page);
  }

  protected async moderate(event: Event, verificationId: string, action: 'hide' | 'restore', reason: string): Promise<void> {
    event.preventDefault();
    this.busy.set(true);
    this.error.set(null);
    try {
      const { position } = await firstValueFrom(this.verificationsApi.moderate(verificationId, action, reason.trim()));
      const next = new Set(this.justHidden());
      if (action === 'hide') next.add(verificationId);
      else next.delete(verificationId);
      this.justHidden.set(next);
      if (action === 'hide') this.hiddenPage.set(1);
      if (this.minPosition() === position) this.hidden.reload();
      else this.minPosition.set(position);
      this.recent.reload();
    } catch (error) {
      this.error.set(describeHttpError(error, 'That could not be saved. Please try again.'));
    } finally {
      this.busy.set(false);
    }
  }
}
