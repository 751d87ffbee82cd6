import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RetailerPrice } from '../../core/api/api-types';
import { AffiliateDisclosure } from '../../shared/affiliate-disclosure';
import { AgePipe, MoneyPipe } from '../../shared/formatting';

/** Current price per retailer, cheapest first; purchase links go through /go/{partId}/{retailerId}. */
@Component({
  selector: 'app-price-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MoneyPipe, AgePipe, AffiliateDisclosure],
  template: `
    @if (sortedPrices().length > 0) {
      <div class="table-scroll">
        <table class="price-table">
          <caption>Prices for {{ partName() }}</caption>
          <thead>
            <tr><th scope="col">Retailer</th><th scope="col" class="num">Price</th><th scope="col">Stock</th><th scope="col">Checked</th><th scope="col"><span class="visually-hidden">Buy</span></th></tr>
          </thead>
          <tbody>
            @for (price of sortedPrices(); track price.retailer.id) {
              <tr [class.is-stale]="price.stale">
                <th scope="row">{{ price.retailer.name }}</th>
                <td class="num"><strong>{{ price.priceCents | money: price.currency }}</strong></td>
                <td>{{ price.inStock ? 'In stock' : 'Out of stock' }}</td>
                <td>
                  {{ price.observedAt | age }}
                  @if (price.stale) {
                    <span class="badge badge--stale" title="Checked more than 24 hours ago; the price may have changed">stale</span>
                  }
                </td>
                <td>
                  <a class="button button--small" [href]="'/go/' + partId() + '/' + price.retailer.id" rel="sponsored nofollow noopener" target="_blank">
                    Buy<span class="visually-hidden"> at {{ price.retailer.name }} (opens in a new tab)</span>
                  </a>
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      <app-affiliate-disclosure />
    } @else {
      <p class="muted">No retailer prices yet.</p>
    }
  `,
})
export class PriceTable {
  readonly partId = input.required<string>();
  readonly partName = input.required<string>();
  readonly prices = input.required<RetailerPrice[]>();
  protected readonly sortedPrices = computed(() =>
    [...this.prices()].sort((a, b) => Number(a.stale) - Number(b.stale) || a.priceCents - b.priceCents),
  );
}
