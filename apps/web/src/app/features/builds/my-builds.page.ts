import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { BuildsApi } from '../../core/api/builds.api';
import { minPositionOf } from '../../core/api/min-position-state';
import { PageMeta } from '../../core/seo/page-meta';
import { SessionStore } from '../../core/session/session.store';
import { BikeTitlePipe, MoneyPipe } from '../../shared/formatting';

/** /builds: the signed-in rider's builds (GET /api/builds). */
@Component({
  selector: 'app-my-builds-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, BikeTitlePipe, MoneyPipe],
  template: `
    <div class="page-title-row">
      <h1>My builds</h1>
      @if (session.me()) { <a routerLink="/builds/new" class="button">New build</a> }
    </div>
    @if (session.me()) {
      @if (builds.hasValue()) {
        <ul class="build-list">
          @for (build of builds.value().items; track build.id) {
            <li class="card">
              <a [routerLink]="['/builds', build.id]" class="build-list__name">{{ build.name }}</a>
              <div class="muted">{{ build.bike | bikeTitle }} · {{ build.visibility }}
                @if (build.partCount !== undefined) { · {{ build.partCount }} parts }
                @if (build.currency && build.totalPriceCents !== undefined) {
                  · <span class="build-list__total" [attr.data-currency]="build.currency">{{ build.totalPriceCents | money: build.currency }}</span>
                  @if (build.unpricedPartCount) { <span class="build-list__left-out">({{ build.unpricedPartCount }} not priced in {{ build.currency }})</span> }
                }
                @if (build.warnings) { · <span class="build-list__warnings">{{ build.warnings }} {{ build.warnings === 1 ? 'warning' : 'warnings' }}</span> }
              </div>
            </li>
          } @empty {
            <li class="card">No builds yet. <a routerLink="/builds/new">Plan your first one</a>.</li>
          }
        </ul>
      } @else if (builds.error()) {
        <p class="form-message form-message--error" role="alert">Your builds could not be loaded. Please try again.</p>
      } @else {
        <p class="muted" role="status">Loading your builds…</p>
      }
    } @else if (session.isKnown()) {
      <div class="card">
        <p>Plan a build: pick a bike, add parts, and see warnings and the total price.</p>
        <a routerLink="/sign-in" [queryParams]="{ returnUrl: '/builds' }" class="button">Sign in to see your builds</a>
      </div>
    }
  `,
  styles: `
    .page-title-row { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
    .build-list { list-style: none; padding: 0; display: grid; gap: 0.6rem; }
    .build-list__name { font-weight: 700; font-size: 1.05rem; }
    .build-list__warnings { color: var(--bad); font-weight: 700; }
  `,
})
export class MyBuildsPage {
  protected readonly session = inject(SessionStore);
  /** After a deletion the list waits for the projection, so the deleted build is gone at once. */
  private readonly minPosition = minPositionOf(inject(Router));
  protected readonly builds = inject(BuildsApi).mineResource(() => this.session.me() !== null, this.minPosition);

  constructor() {
    inject(PageMeta).set({ title: 'My builds', description: 'Your motorcycle builds.', noIndex: true });
  }
}

