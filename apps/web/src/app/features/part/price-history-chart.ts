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
  viewChild,
} from '@angular/core';
import type { Chart } from 'chart.js';
import { PriceHistoryPoint, RetailerRef } from '../../core/api/api-types';
import { formatMoney } from '../../shared/formatting';

const LINE_COLOURS = ['#c2410c', '#1e40af', '#166534', '#7c3aed', '#0f766e', '#a16207'];

/**
 * The server renders the accessible table; the browser adds a chart.js canvas after hydration.
 * chart.js is imported lazily so it never weighs on the initial bundle or the server render.
 */
@Component({
  selector: 'app-price-history-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (days().length === 0) {
      <p class="muted">No price history yet.</p>
    } @else {
      @if (browserReady()) {
        <div class="chart-box">
          <canvas #canvas role="img" [attr.aria-label]="'Daily lowest price of ' + partName() + ' per retailer; the same data is in the table below.'" [attr.data-chart-ready]="chartReady()"></canvas>
        </div>
      }
      <details class="history-table" [open]="!chartReady()">
        <summary>Price history as a table</summary>
        <div class="table-scroll">
          <table>
            <caption>Daily lowest price of {{ partName() }}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                @for (retailer of retailerColumns(); track retailer.id) { <th scope="col" class="num">{{ retailer.name }}</th> }
              </tr>
            </thead>
            <tbody>
              @for (day of days(); track day) {
                <tr>
                  <th scope="row">{{ day }}</th>
                  @for (retailer of retailerColumns(); track retailer.id) {
                    <td class="num">{{ cell(day, retailer.id) }}</td>
                  }
                </tr>
              }
            </tbody>
          </table>
        </div>
      </details>
    }
  `,
  styles: `
    .chart-box { position: relative; height: 280px; margin-bottom: 0.75rem; }
    .history-table summary { cursor: pointer; font-weight: 600; padding: 0.3rem 0; }
  `,
})
export class PriceHistoryChart {
  readonly partName = input.required<string>();
  readonly points = input.required<PriceHistoryPoint[]>();
  readonly retailers = input.required<RetailerRef[]>();

  private readonly canvas = viewChild<ElementRef<HTMLCanvasElement>>('canvas');
  protected readonly browserReady = signal(false);
  protected readonly chartReady = signal(false);
  private chart: Chart | null = null;

  protected readonly days = computed(() => [...new Set(this.points().map((point) => point.day))].sort());
  protected readonly retailerColumns = computed(() => {
    const names = new Map(this.retailers().map((retailer) => [retailer.id, retailer.name]));
    return [...new Set(this.points().map((point) => point.retailerId))].map((id) => ({ id, name: names.get(id) ?? id }));
  });
  private readonly priceByDayAndRetailer = computed(() => {
    const prices = new Map<string, PriceHistoryPoint>();
    for (const point of this.points()) prices.set(`${point.day}|${point.retailerId}`, point);
    return prices;
  });

  constructor() {
    // Render hooks never run on the server, so the canvas only ever exists in the hydrated page.
    afterNextRender(() => this.browserReady.set(true));
    afterRenderEffect(() => {
      const canvas = this.canvas()?.nativeElement;
      const days = this.days();
      if (canvas && days.length > 0) void this.draw(canvas, days);
    });
    inject(DestroyRef).onDestroy(() => this.chart?.destroy());
  }

  protected cell(day: string, retailerId: string): string {
    const point = this.priceByDayAndRetailer().get(`${day}|${retailerId}`);
    return point ? formatMoney(point.priceCents, point.currency) : '—';
  }

  private async draw(canvas: HTMLCanvasElement, days: string[]): Promise<void> {
    const { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend } =
      await import('chart.js');
    Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);
    const currency = this.points()[0]?.currency ?? 'USD';
    const datasets = this.retailerColumns().map((retailer, index) => ({
      label: retailer.name,
      data: days.map((day) => {
        const point = this.priceByDayAndRetailer().get(`${day}|${retailer.id}`);
        return point ? point.priceCents / 100 : null;
      }),
      borderColor: LINE_COLOURS[index % LINE_COLOURS.length],
      backgroundColor: LINE_COLOURS[index % LINE_COLOURS.length],
      spanGaps: true,
      tension: 0.2,
    }));
    this.chart?.destroy();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { labels: days, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { ticks: { callback: (value) => formatMoney(Number(value) * 100, currency) } } },
        plugins: {
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${formatMoney(Number(item.raw) * 100, currency)}` },
          },
        },
      },
    });
    this.chartReady.set(true);
  }
}
