import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { BuildsApi } from '../../core/api/builds.api';
import { describeHttpError, httpStatusOf } from '../../core/http/http-errors';
import { SessionStore } from '../../core/session/session.store';
import { draftOf, withPartAdded } from '../builds/build-draft';

/** "Add to build" from a part page: one more of this part in one of the rider's builds (PUT with If-Match). */
@Component({
  selector: 'app-add-to-build',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (builds().length > 0) {
      <form class="add-to-build" (submit)="add($event)">
        <label for="add-to-build">Add to a build</label>
        <div class="add-to-build__row">
          <select id="add-to-build" name="buildId" (change)="chosen.set($any($event.target).value || null)">
            <option value="" [selected]="chosen() === null">Choose a build</option>
            @for (build of builds(); track build.id) {
              <option [value]="build.id" [selected]="build.id === chosen()">{{ build.name }}</option>
            }
          </select>
          <button type="submit" class="button button--small" [disabled]="!chosen() || busy()">{{ busy() ? 'Adding…' : 'Add' }}</button>
        </div>
        @if (added(); as build) { <p class="form-message form-message--ok" role="status">Added to <a [routerLink]="['/builds', build.id]">{{ build.name }}</a>.</p> }
        @if (error(); as message) { <p class="form-message form-message--error" role="alert">{{ message }}</p> }
      </form>
    } @else if (session.me() && mine.hasValue()) {
      <p class="muted"><a routerLink="/builds/new">Start a build</a> to collect parts like this one.</p>
    }
  `,
  styles: `
    .add-to-build__row { display: flex; gap: 0.5rem; margin-top: 0.3rem; }
    .add-to-build__row select { min-width: 0; }
  `,
})
export class AddToBuild {
  private readonly buildsApi = inject(BuildsApi);
  protected readonly session = inject(SessionStore);
  readonly partId = input.required<string>();

  protected readonly mine = this.buildsApi.mineResource(() => this.session.me() !== null);
  protected readonly builds = computed(() => (this.mine.hasValue() ? this.mine.value().items : []));
  protected readonly chosen = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly added = signal<{ id: string; name: string } | null>(null);
  protected readonly error = signal<string | null>(null);

  /** Reads the build fresh, so the edit is based on its latest revision. */
  protected async add(event: Event): Promise<void> {
    event.preventDefault();
    const id = this.chosen();
    if (!id) return;
    this.busy.set(true);
    this.added.set(null);
    this.error.set(null);
    try {
      const build = await firstValueFrom(this.buildsApi.buildAfter(id, 0));
      await firstValueFrom(this.buildsApi.update(id, withPartAdded(draftOf(build), this.partId()), build.revision));
      this.added.set({ id, name: build.name });
    } catch (error) {
      const status = httpStatusOf(error);
      this.error.set(
        status === 409 || status === 412
          ? 'That build changed at the same moment. Please try again.'
          : describeHttpError(error, 'The part could not be added. Please try again.'),
      );
    } finally {
      this.busy.set(false);
    }
  }
}
