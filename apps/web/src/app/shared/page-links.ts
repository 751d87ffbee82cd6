import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';

export function pageNumbers(total: number, pageSize: number): number[] {
  const count = Math.max(1, Math.ceil(total / pageSize));
  return Array.from({ length: count }, (_, index) => index + 1);
}

/** Real links (not buttons) so crawlers and riders without JavaScript can page through results. */
@Component({
  selector: 'app-page-links',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (pages().length > 1) {
      <nav class="pagination" aria-label="Pages">
        @if (current() > 1) {
          <a [routerLink]="[]" [queryParams]="{ page: current() - 1 }" queryParamsHandling="merge" rel="prev">Previous</a>
        }
        @for (page of visiblePages(); track page) {
          @if (page === current()) {
            <span aria-current="page">{{ page }}</span>
          } @else {
            <a [routerLink]="[]" [queryParams]="{ page }" queryParamsHandling="merge">{{ page }}</a>
          }
        }
        @if (current() < pages().length) {
          <a [routerLink]="[]" [queryParams]="{ page: current() + 1 }" queryParamsHandling="merge" rel="next">Next</a>
        }
      </nav>
    }
  `,
})
export class PageLinks {
  readonly pages = input.required<number[]>();
  readonly current = input.required<number>();
  protected readonly visiblePages = computed(() =>
    this.pages().filter((page) => Math.abs(page - this.current()) <= 3 || page === 1 || page === this.pages().length),
  );
}
