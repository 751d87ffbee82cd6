import {
  afterNextRender,
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  input,
  signal,
  viewChildren,
} from '@angular/core';
import type { Chart } from 'chart.js';
import { PriceHistoryPoint, RetailerRef } from '../../core/api/api-types';
import { RiderRegion } from '../../core/rider/rider-region';
import { formatMoney, MoneyPipe } from '../../shared/formatting';
import { CurrencyHistory, historyByCurrency, pointsWithin } from './price-history-stats';

const LINE_COLOURS = ['#c2410c', '#1e40af', '#166534', '#7c3aed', '#0f766e', '#a16207'];
const RANGES: readonly { days: number | null; label: string }[] = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
];

/**
 * One chart per currency, each line labelled in its own retailer's currency, with a range selector
 * and min/max/average per currency. The server renders the accessible tables; the browser adds
 * chart.js canvases after hydration (chart.js is imported lazily, off the initial bundle).
 */
@Component({
  selector: 'app-price-history-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MoneyPipe],
  template: `
    @if (points().length === 0) {
      <p class="muted">No price history yet.</p>
    } @else {
      <div class="history-range" role="group" aria-label="Time range">
        @for (range of ranges; track range.label) {
          <button type="button" class="button button--small" [class.button--ghost]="range.days !== rangeDays()" [attr.aria-pressed]="range.days === rangeDays()" (click)="rangeDays.set(range.days)">{{ range.label }}</button>
        }
      </div>
      @for (history of currencies(); track history.currency) {
        <section class="history-currency" [attr.data-currency]="history.currency">
          <h3>In {{ history.currency }}</h3>
          <dl class="history-stats">
            <div><dt>Lowest</dt><dd>{{ history.min | money: history.currency }}</dd></div>
            <div><dt>Highest</dt><dd>{{ history.max | money: history.currency }}</dd></div>
            <div><dt>Average</dt><dd>{{ history.average | money: history.currency }}</dd></div>
          </dl>
          @if (browserReady()) {
            <div class="chart-box">
              <canvas #canvas role="img" [attr.data-currency]="history.currency" [attr.aria-label]="'Daily lowest price of ' + partName() + ' in ' + history.currency + ' per retailer; the same data is in the table below.'" [attr.data-chart-ready]="chartReady()"></canvas>
            </div>
          }
          <details class="history-table" [open]="!chartReady()">
            <summary>{{ history.currency }} price history as a table</summary>
            <div class="table-scroll">
              <table>
                <caption>Daily lowest price of {{ partName() }} in {{ history.currency }}</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    @for (retailer of history.retailers; track retailer.id) { <th scope="col" class="num">{{ retailer.name }}</th> }
                  </tr>
                </thead>
                <tbody>
                  @for (day of daysOf(history.currency); track day) {
                    <tr>
                      <th scope="row">{{ day }}</th>
                      @for (retailer of history.retailers; track retailer.id) {
                        <td class="num">{{ cell(day, retailer.id, history.currency) }}</td>
                      }
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          </details>
        </section>
      } @empty {
        <p class="muted">No prices in this range.</p>
      }
    }
  `,
  styles: `
    .history-range { display: flex; gap: 0.4rem; flex-wrap: wrap; margin-bottom: 0.75rem; }
    .history-currency + .history-currency { margin-top: 1.25rem; }
    .history-currency h3 { margin-top: 0; }
    .history-stats { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0 0 0.75rem; }
    .history-stats dt { font-size: 0.8rem; color: var(--muted); }
    .history-stats dd { margin: 0; font-weight: 700; }
    .chart-box { position: relative; height: 260px; margin-bottom: 0.75rem; }
    .history-table summary { cursor: pointer; font-weight: 600; padding: 0.3rem 0; }
  `,
})
export class PriceHistoryChart {
  readonly partName = input.required<string>();
  readonly points = input.required<PriceHistoryPoint[]>();
  readonly retailers = input.required<RetailerRef[]>();

  private readonly riderCurrency = inject(RiderRegion).currency;
  private readonly canvases = viewChildren<ElementRef<HTMLCanvasElement>>('canvas');
  protected readonly ranges = RANGES;
  protected readonly rangeDays = signal<number | null>(90);
  protected readonly browserReady = signal(false);
  protected readonly chartReady = signal(false);
  private charts: Chart[] = [];

  private readonly inRange = computed(() => pointsWithin(this.points(), this.rangeDays()));
  protected readonly currencies = computed<CurrencyHistory[]>(() =>
    historyByCurrency(this.inRange(), this.retailers(), this.riderCurrency()),
  );
  private readonly priceByKey = computed(() => {
    const prices = new Map<string, PriceHistoryPoint>();
    for (const point of this.inRange()) prices.set(`${point.day}|${point.retailerId}|${point.currency}`, point);
    return prices;
  });

  constructor() {
    // Render hooks never run on the server, so the canvases only ever exist in the hydrated page.
    afterNextRender(() => this.browserReady.set(true));
    afterRenderEffect(() => {
      const canvases = this.canvases().map((ref) => ref.nativeElement);
      const currencies = this.currencies();
      if (canvases.length > 0 && canvases.length === currencies.length) void this.draw(canvases, currencies);
    });
    inject(DestroyRef).onDestroy(() => this.destroyCharts());
  }

  protected daysOf(currency: string): string[] {
    return [...new Set(this.inRange().filter((point) => point.currency === currency).map((point) => point.day))].sort();
  }

  protected cell(day: string, retailerId: string, currency: string): string {
    const point = this.priceByKey().get(`${day}|${retailerId}|${currency}`);
    return point ? formatMoney(point.priceCents, point.currency) : '—';
  }

  private destroyCharts(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }

  private async draw(canvases: HTMLCanvasElement[], currencies: CurrencyHistory[]): Promise<void> {
    const { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend } =
      await import('chart.js');
    Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);
    this.destroyCharts();
    currencies.forEach((history, chartIndex) => {
      const { currency } = history;
      const days = this.daysOf(currency);
      const datasets = history.retailers.map((retailer, index) => ({
        label: `${retailer.name} (${currency})`,
        data: days.map((day) => {
          const point = this.priceByKey().get(`${day}|${retailer.id}|${currency}`);
          return point ? point.priceCents / 100 : null;
        }),
        borderColor: LINE_COLOURS[index % LINE_COLOURS.length],
        backgroundColor: LINE_COLOURS[index % LINE_COLOURS.length],
        spanGaps: true,
        tension: 0.2,
      }));
      this.charts.push(
        new Chart(canvases[chartIndex], {
          type: 'line',
          data: { labels: days, datasets },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            scales: { y: { ticks: { callback: (value) => formatMoney(Number(value) * 100, currency) } } },
            plugins: {
              tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatMoney(Number(item.raw) * 100, currency)}` } },
            },
          },
        }),
      );
    });
    this.chartReady.set(true);
  }
}
