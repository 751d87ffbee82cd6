import { priceObservationEventId, priceStream } from '@mpp/domain';
import type { CatalogUniverse } from './catalog-universe.js';
import type { Fact } from './generated-event.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Hourly price feeds: popular parts at popular retailers are observed most. The domain allows one
 * observation per (part, retailer, hour) (the event id derives from it), so each hour's picks are
 * distinct pairs. Prices wander around the part's base price times the retailer's factor, with
 * occasional sales.
 */
export class PriceActivity {
  /** Stream revision of each (part, retailer) observed so far. */
  private readonly revisions = new Map<number, number>();
  private hour = -1;
  private readonly observedThisHour = new Set<number>();

  constructor(private readonly universe: CatalogUniverse) {}

  next(random: SeededRandom, hourIndex: number, observedAt: string): Fact {
    if (hourIndex !== this.hour) {
      this.hour = hourIndex;
      this.observedThisHour.clear();
    }
    const key = this.freePair(random);
    this.observedThisHour.add(key);
    const part = Math.floor(key / this.universe.plan.retailers);
    const retailer = key % this.universe.plan.retailers;
    const revision = (this.revisions.get(key) ?? -1) + 1;
    this.revisions.set(key, revision);
    const partSpec = this.universe.part(part);
    const retailerSpec = this.universe.retailer(retailer);
    const onSale = random.chance(0.05) ? 0.8 : 1;
    const priceCents = Math.max(99, Math.round(partSpec.basePriceCents * retailerSpec.priceFactor * onSale * (0.97 + random.next() * 0.06)));
    return {
      stream: priceStream(partSpec.partId, retailerSpec.retailerId),
      revision,
      type: 'PriceObserved',
      actor: 'system:price-feed',
      eventId: priceObservationEventId(partSpec.partId, retailerSpec.retailerId, observedAt),
      data: {
        partId: partSpec.partId,
        retailerId: retailerSpec.retailerId,
        priceCents,
        currency: retailerSpec.currency,
        inStock: random.chance(0.85),
        url: `${retailerSpec.baseUrl}/p/${encodeURIComponent(partSpec.sku.toLowerCase())}`,
        observedAt,
        source: `feed:${retailerSpec.name.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}`,
      },
    };
  }

  private freePair(random: SeededRandom): number {
    const { retailers, parts } = this.universe.plan;
    for (let attempt = 0; attempt < 32; attempt++) {
      const key = this.universe.partPopularity.sample(random) * retailers + this.universe.retailerPopularity.sample(random);
      if (!this.observedThisHour.has(key)) return key;
    }
    // The popular pairs of this hour are taken: any free one will do.
    const start = random.int(parts * retailers);
    for (let offset = 0; offset < parts * retailers; offset++) {
      const key = (start + offset) % (parts * retailers);
      if (!this.observedThisHour.has(key)) return key;
    }
    throw new RangeError(`more price observations in one hour than (part, retailer) pairs (${parts * retailers})`);
  }
}
