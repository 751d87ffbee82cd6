import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RetailerPrice } from '../../core/api/api-types';
import { RiderRegion } from '../../core/rider/rider-region';
import { AffiliateDisclosure } from '../../shared/affiliate-disclosure';
import { AgePipe, MoneyPipe } from '../../shared/formatting';
import { offersByCurrency } from '../../shared/offers-by-currency';

/**
 * Current offers, one table per currency (the rider's first): a price in euros is never ranked
 * against one in dollars. Purchase links go through /go/{partId}/{retailerId}.
 */
@Component({
  selector: 'app-price-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MoneyPipe, AgePipe, AffiliateDisclosure],
  template: `
    @for (group of groups(); track group.currency; let first = $first) {
      <div class="currency-group" [attr.data-currency]="group.currency">
        @if (groups().length > 1) {
          <h3 class="currency-group__title">
            Prices in {{ group.currency }}
            @if (group.currency !== riderCurrency()) { <span class="muted">· not your currency ({{ riderCurrency() }}); not compared with the prices above</span> }
          </h3>
        }
        @if (group.best; as best) {
          <p class="best-offer">Best {{ group.currency }} price: <strong>{{ best.priceCents | money: best.currency }}</strong> at {{ best.retailer.name }}</p>
        } @else {
          <p class="best-offer muted">No {{ group.currency }} offer is in stock.</p>
        }
        <table class="price-table stack-table">
          <caption class="visually-hidden">Prices in {{ group.currency }} for {{ partName() }}</caption>
          <thead>
            <tr><th scope="col">Retailer</th><th scope="col" class="num">Price</th><th scope="col">Stock</th><th scope="col">Checked</th><th scope="col"><span class="visually-hidden">Buy</span></th></tr>
          </thead>
          <tbody>
            @for (price of group.offers; track price.retailer.id) {
              <tr [class.is-stale]="price.stale" [class.is-out-of-stock]="!price.inStock">
                <th scope="row">{{ price.retailer.name }}</th>
                <td class="num" data-label="Price"><strong>{{ price.priceCents | money: price.currency }}</strong></td>
                <td data-label="Stock">
                  @if (price.inStock) { In stock } @else { <span class="badge badge--out">Out of stock</span> }
                </td>
                <td data-label="Checked">
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
    } @empty {
      <p class="muted">No retailer prices yet.</p>
    }
    @if (groups().length > 0) { <app-affiliate-disclosure /> }
  `,
  styles: `
    .currency-group + .currency-group { margin-top: 1.25rem; }
    .currency-group__title { margin-top: 0; }
    .best-offer { margin: 0 0 0.5rem; }
    tr.is-out-of-stock td { color: var(--muted); }
  `,
})
export class PriceTable {
  readonly partId = input.required<string>();
  readonly partName = input.required<string>();
  readonly prices = input.required<RetailerPrice[]>();
  protected readonly riderCurrency = inject(RiderRegion).currency;
  protected readonly groups = computed(() => offersByCurrency(this.prices(), this.riderCurrency()));
}
