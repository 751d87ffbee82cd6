import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { Bike, CompatibilityStatus } from '../core/api/api-types';
import { bikeTitle } from './formatting';

/** What a fit status means for the rider's own bike, in their words. */
export function fitVerdict(status: CompatibilityStatus | null | undefined): 'fits' | 'does-not-fit' | 'no-data' {
  if (status === 'verified' || status === 'community') return 'fits';
  if (status === 'disputed') return 'does-not-fit';
  return 'no-data';
}

/** "Fits your 2021 Yamaha MT-07" / "Does not fit …" / "No data for …", with the evidence when known. */
@Component({
  selector: 'app-fit-for-bike',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="fit fit--{{ verdict() }}" [attr.data-fit]="verdict()">
      @switch (verdict()) {
        @case ('fits') { ✓ Fits your {{ title() }} }
        @case ('does-not-fit') { ✗ Does not fit your {{ title() }} }
        @default { ? No data for your {{ title() }} }
      }
      @if (evidence(); as text) { <span class="fit__evidence">({{ text }})</span> }
    </span>
  `,
  styles: `
    .fit { display: inline-block; font-size: 0.85rem; font-weight: 700; border-radius: 6px; padding: 0.1rem 0.5rem; }
    .fit--fits { color: var(--ok); background: var(--ok-bg); }
    .fit--does-not-fit { color: var(--bad); background: var(--bad-bg); }
    .fit--no-data { color: var(--neutral); background: var(--neutral-bg); }
    .fit__evidence { font-weight: 400; }
  `,
})
export class FitForBike {
  readonly status = input<CompatibilityStatus | null | undefined>(null);
  readonly bike = input.required<Pick<Bike, 'year' | 'make' | 'model' | 'trim'>>();
  readonly confirmations = input<number | null | undefined>(null);
  readonly refutations = input<number | null | undefined>(null);
  protected readonly verdict = computed(() => fitVerdict(this.status()));
  protected readonly title = computed(() => bikeTitle(this.bike()));
  protected readonly evidence = computed(() => {
    const yes = this.confirmations() ?? 0;
    const no = this.refutations() ?? 0;
    if (this.status() === 'verified') return yes + no > 0 ? `verified; ${yes} ✓ · ${no} ✗` : 'verified';
    return yes + no > 0 ? `${yes} ✓ · ${no} ✗` : null;
  });
}
