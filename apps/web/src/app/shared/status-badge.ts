import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { CompatibilityStatus } from '../core/api/api-types';

export const STATUS_LABELS: Record<CompatibilityStatus, string> = {
  verified: 'Verified fit',
  community: 'Community confirmed',
  disputed: 'Disputed',
  no_data: 'No data',
};

const STATUS_EXPLANATIONS: Record<CompatibilityStatus, string> = {
  verified: 'The manufacturer, a retailer or our staff published this fitment.',
  community: 'More riders confirmed this fit than refuted it.',
  disputed: 'Riders reported that this part does not fit.',
  no_data: 'Nobody has confirmed or refuted this fit yet.',
};

@Component({
  selector: 'app-status-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="badge badge--{{ status() }}" [attr.title]="explanation()">{{ label() }}</span>`,
})
export class StatusBadge {
  readonly status = input.required<CompatibilityStatus>();
  protected readonly label = computed(() => STATUS_LABELS[this.status()] ?? this.status());
  protected readonly explanation = computed(() => STATUS_EXPLANATIONS[this.status()] ?? '');
}
