import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Bike, BuildVisibility } from '../../core/api/api-types';
import { BuildsApi } from '../../core/api/builds.api';
import { withMinPosition } from '../../core/api/min-position-state';
import { Garage } from '../../core/rider/garage';
import { describeHttpError } from '../../core/http/http-errors';
import { PageMeta } from '../../core/seo/page-meta';
import { SessionStore } from '../../core/session/session.store';
import { BikePicker } from '../../shared/bike-picker';
import { BuildNameFields } from '../../shared/build-name-fields';
import { BikeTitlePipe } from '../../shared/formatting';

/** /builds/new: name, visibility and bike, then POST /api/builds. */
@Component({
  selector: 'app-new-build-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, BikePicker, BikeTitlePipe, BuildNameFields],
  template: `
    <h1>New build</h1>
    @if (session.me()) {
      <div class="card new-build">
        <h2 class="step">1. Your bike</h2>
        @if (bike(); as chosen) {
          <p><strong>{{ chosen | bikeTitle }}</strong> <button type="button" class="link-button" (click)="bike.set(null)">Change</button></p>
        } @else {
          <app-bike-picker mode="select" idPrefix="build" submitLabel="Use this bike" (picked)="bike.set($event)" />
        }
        <h2 class="step">2. Name and visibility</h2>
        <form (submit)="create($event)">
          <app-build-name-fields idPrefix="build" [(name)]="name" [(visibility)]="visibility" />
          <button type="submit" class="button" [disabled]="!canCreate()">{{ busy() ? 'Creating…' : 'Create build' }}</button>
          @if (error(); as message) { <p class="form-message form-message--error" role="alert">{{ message }}</p> }
        </form>
      </div>
    } @else if (session.isKnown()) {
      <p><a routerLink="/sign-in" [queryParams]="{ returnUrl: '/builds/new' }">Sign in</a> to plan a build.</p>
    }
  `,
  styles: `.step { font-size: 1rem; margin-top: 0.5rem; } .new-build { max-width: 760px; }`,
})
export class NewBuildPage {
  private readonly buildsApi = inject(BuildsApi);
  private readonly router = inject(Router);
  protected readonly session = inject(SessionStore);

  /** A new build starts on the rider's current bike; "Change" opens the picker. */
  protected readonly bike = signal<Pick<Bike, 'id' | 'slug' | 'year' | 'make' | 'model' | 'trim'> | null>(inject(Garage).bike());
  protected readonly name = signal('');
  protected readonly visibility = signal<BuildVisibility>('private');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly canCreate = computed(() => !!this.bike() && this.name().trim().length > 0 && !this.busy());

  constructor() {
    inject(PageMeta).set({ title: 'New build', description: 'Plan a motorcycle build.', noIndex: true });
  }

  protected async create(event: Event): Promise<void> {
    event.preventDefault();
    const bike = this.bike();
    if (!bike || !this.canCreate()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const created = await firstValueFrom(
        this.buildsApi.create({ name: this.name().trim(), bikeId: bike.id, visibility: this.visibility(), parts: [] }),
      );
      await this.router.navigate(['/builds', created.id], withMinPosition(created.position));
    } catch (error) {
      this.error.set(describeHttpError(error, 'The build could not be created. Please try again.'));
    } finally {
      this.busy.set(false);
    }
  }
}
