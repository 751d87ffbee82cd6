import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { BuildCollector } from './build-collector';

/** The build a list page's "Add to build" buttons add to; a nudge to start one when the rider has none. */
@Component({
  selector: 'app-build-target-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (collector.builds().length > 0) {
      <div class="build-target">
        <label for="collect-build">Add parts to</label>
        <select id="collect-build" (change)="collector.target.set($any($event.target).value || null)">
          <option value="" [selected]="collector.target() === null">Choose a build</option>
          @for (build of collector.builds(); track build.id) {
            <option [value]="build.id" [selected]="build.id === collector.target()">{{ build.name }}</option>
          }
        </select>
      </div>
    } @else if (collector.session.me() && collector.mine.hasValue()) {
      <p class="muted build-target"><a routerLink="/builds/new">Start a build</a> to collect parts from this list.</p>
    }
  `,
  styles: `
    .build-target { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; margin: 0 0 0.8rem; }
    .build-target select { min-width: 0; max-width: 100%; }
  `,
})
export class BuildTargetPicker {
  protected readonly collector = inject(BuildCollector);
}
