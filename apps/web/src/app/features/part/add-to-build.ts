import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { BuildCollector } from '../builds/collect/build-collector';

/** "Add to build" from a part page: one more of this part in one of the rider's builds (PUT with If-Match). */
@Component({
  selector: 'app-add-to-build',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  providers: [BuildCollector],
  template: `
    @if (collector.builds().length > 0) {
      <form class="add-to-build" (submit)="add($event)">
        <label for="add-to-build">Add to a build</label>
        <div class="add-to-build__row">
          <select id="add-to-build" name="buildId" (change)="collector.target.set($any($event.target).value || null)">
            <option value="" [selected]="collector.target() === null">Choose a build</option>
            @for (build of collector.builds(); track build.id) {
              <option [value]="build.id" [selected]="build.id === collector.target()">{{ build.name }}</option>
            }
          </select>
          <button type="submit" class="button button--small" [disabled]="!collector.target() || collector.busy() !== null">{{ collector.busy() ? 'Adding…' : 'Add' }}</button>
        </div>
        @if (added(); as build) { <p class="form-message form-message--ok" role="status">Added to <a [routerLink]="['/builds', build.id]">{{ build.name }}</a>.</p> }
        @if (collector.error(); as failed) { <p class="form-message form-message--error" role="alert">{{ failed.message }}</p> }
      </form>
    } @else if (collector.session.me() && collector.mine.hasValue()) {
      <p class="muted"><a routerLink="/builds/new">Start a build</a> to collect parts like this one.</p>
    }
  `,
  styles: `
    .add-to-build__row { display: flex; gap: 0.5rem; margin-top: 0.3rem; }
    .add-to-build__row select { min-width: 0; }
  `,
})
export class AddToBuild {
  protected readonly collector = inject(BuildCollector);
  readonly partId = input.required<string>();
  protected readonly added = computed(() => this.collector.added()?.build ?? null);

  protected add(event: Event): void {
    event.preventDefault();
    void this.collector.add(this.partId());
  }
}
