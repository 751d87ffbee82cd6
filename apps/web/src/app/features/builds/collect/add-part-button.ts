import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { BuildCollector } from './build-collector';

/** One part's "Add to build" on a list, adding to the build chosen in the page's BuildTargetPicker. */
@Component({
  selector: 'app-add-part-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (collector.target()) {
      <button type="button" class="button button--small button--ghost add-part" [disabled]="collector.busy() !== null" (click)="collector.add(partId())">
        {{ collector.busy() === partId() ? 'Adding…' : 'Add to build' }}<span class="visually-hidden"> {{ name() }}</span>
      </button>
      @if (added(); as build) { <span class="form-message form-message--ok add-part__done" role="status">Added to <a [routerLink]="['/builds', build.id]">{{ build.name }}</a>.</span> }
      @if (error(); as message) { <span class="form-message form-message--error" role="alert">{{ message }}</span> }
    }
  `,
  styles: `
    :host { display: block; margin-top: 0.3rem; }
    .add-part__done { display: block; font-size: 0.85rem; }
  `,
})
export class AddPartButton {
  protected readonly collector = inject(BuildCollector);
  readonly partId = input.required<string>();
  readonly name = input('');
  protected readonly added = computed(() => {
    const done = this.collector.added();
    return done?.partId === this.partId() ? done.build : null;
  });
  protected readonly error = computed(() => {
    const failed = this.collector.error();
    return failed?.partId === this.partId() ? failed.message : null;
  });
}
