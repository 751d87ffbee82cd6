import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound, resolveRegion, formatClockCut, instantOf, isAsOf, parseEvent, priceStream, type AsOf, type EventData } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { StreamNotFound, type EventStore } from '@mpp/event-store';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { retailerPriceView, type PriceRow } from '../../queries/read-models/read-model-views.js';
import { byCurrencyThenPrice, type StoredOffer } from './regional-offers.js';
import { VersionedAnswer, perPartLabel } from '../../http/answer-cache/versioned-answer.js';
import { staleClock } from '../../http/answer-cache/stale-clock.js';
import { PRICE_VERSIONS, partPricesKey, pricesProjection, readKeyVersion, PARTS, RETAILERS, readCurrentOffers, readPriceHistory } from '@mpp/projections';

export class CurrentPricesQuery {
  constructor(
    readonly partId: string,
    readonly now: Date,
    /** Time travel on either clock; absent: the current read model. */
    readonly asOf?: AsOf,
    /** The rider's region: its currency's offers come first; absent: the default region. */
    readonly region?: string,
  ) {}
}

export class PriceHistoryQuery {
  constructor(
    readonly partId: string,
    readonly retailerId: string | undefined,
    readonly days: number,
    readonly now: Date,
    readonly region?: string,
  ) {}
}

export class ListRetailersQuery {}

async function assertPartExists(knex: Knex, partId: string): Promise<void> {
  if (!(await knex(PARTS).where('id', partId).first('id'))) throw new NotFound('part', partId);
}

/**
 * Each retailer's price now (the part_prices read model), or as it stood at a cut on either clock:
 * then from the price streams themselves, taking, like the projection, the observation with the
 * greatest observedAt among those within the cut. Staleness is judged at the cut's instant when it
 * has one (a price fresh on that day was fresh), else now.
 */
@QueryHandler(CurrentPricesQuery)
export class CurrentPricesHandler implements IQueryHandler<CurrentPricesQuery> {
  constructor(
    @Inject(READ_DB) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * The current prices are a versioned answer (kept by the answer cache until the part's prices
   * version moves, or until the first of them turns stale); a cut in time reads the log each time.
   */
  async execute({ partId, now, asOf, region: asked }: CurrentPricesQuery) {
    const region = resolveRegion(asked);
    const order = byCurrencyThenPrice(region.currency);
    const answer = (rows: PriceRow[], judgedAt: Date, cuts: { asOf: string | null; recordedAsOf: string | null }) => ({
      region: region.code,
      currency: region.currency,
      items: rows.sort((a, b) => order(storedOffer(a), storedOffer(b))).map((row) => retailerPriceView(row, judgedAt)),
      ...cuts,
    });
    if (asOf) {
      await assertPartExists(this.knex, partId);
      const cuts = { asOf: asOf.happened ? formatClockCut(asOf.happened) : null, recordedAsOf: asOf.recorded ? formatClockCut(asOf.recorded) : null };
      return answer(await this.pricesAsOf(partId, asOf), instantOf(asOf) ?? now, cuts);
    }
    // Read before the rows, so the label is never newer than the answer; the projector keys parts by their canonical (lower case) id.
    const key = partPricesKey(partId.toLowerCase());
    const version = await readKeyVersion(this.knex, PRICE_VERSIONS, key);
    await assertPartExists(this.knex, partId);
    const rows = await readCurrentOffers(this.knex, [partId]);
    const observedAt = rows.map((row) => row.observed_at);
    return new VersionedAnswer(answer(rows, now, { asOf: null, recordedAsOf: null }), { ...perPartLabel(pricesProjection.name, key, version), ...staleClock(observedAt, now) });
  }

  private async pricesAsOf(partId: string, asOf: AsOf): Promise<PriceRow[]> {
    const retailers: { id: string; name: string }[] = await this.knex(RETAILERS).select('id', 'name');
    const rows: PriceRow[] = [];
    for (const retailer of retailers) {
      let latest: EventData<'PriceObserved'> | undefined;
      try {
        for await (const event of this.store.readStream(priceStream(partId, retailer.id))) {
          if (!isAsOf({ position: event.position, occurredAt: event.metadata.occurredAt, recordedAt: event.createdAt }, asOf)) continue;
          const observed = parseEvent('PriceObserved', event.data).data as EventData<'PriceObserved'>;
          if (!latest || Date.parse(observed.observedAt) > Date.parse(latest.observedAt)) latest = observed;
        }
      } catch (error) {
        if (!(error instanceof StreamNotFound)) throw error;
      }
      if (latest) {
        rows.push({
          retailer_id: retailer.id,
          retailer_name: retailer.name,
          price_cents: latest.priceCents,
          currency: latest.currency,
          in_stock: latest.inStock,
          url: latest.url,
          observed_at: latest.observedAt,
        });
      }
    }
    return rows;
  }
}

const storedOffer = (row: PriceRow): StoredOffer => ({
  retailerId: row.retailer_id,
  retailerName: row.retailer_name,
  priceCents: row.price_cents,
  currency: row.currency,
  inStock: row.in_stock,
  url: row.url,
  observedAt: String(row.observed_at),
});

/**
 * Daily minimum per retailer over the last `days` days, oldest first (what a chart draws). Each point
 * names its currency; a chart draws one axis per currency, the region's `currency` first.
 */
@QueryHandler(PriceHistoryQuery)
export class PriceHistoryHandler implements IQueryHandler<PriceHistoryQuery> {
  constructor(@Inject(READ_DB) private readonly knex: Knex) {}

  async execute({ partId, retailerId, days, now, region: asked }: PriceHistoryQuery) {
    const region = resolveRegion(asked);
    await assertPartExists(this.knex, partId);
    const since = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
    const rows = await readPriceHistory(this.knex, { partId, since, retailerId });
    const items = rows.map((r) => ({ retailerId: r.retailer_id, day: String(r.day), priceCents: r.min_price_cents, currency: r.currency }));
    return { region: region.code, currency: region.currency, currencies: [...new Set(items.map((item) => item.currency))].sort(byRiderCurrencyFirst(region.currency)), items };
  }
}

@QueryHandler(ListRetailersQuery)
export class ListRetailersHandler implements IQueryHandler<ListRetailersQuery> {
  constructor(@Inject(READ_DB) private readonly knex: Knex) {}

  async execute() {
    const rows: { id: string; name: string; base_url: string }[] = await this.knex(RETAILERS).select('id', 'name', 'base_url').orderBy('name');
    return { items: rows.map((r) => ({ id: r.id, name: r.name, baseUrl: r.base_url })) };
  }
}

const byRiderCurrencyFirst = (currency: string) => (a: string, b: string) => Number(b === currency) - Number(a === currency) || (a < b ? -1 : a > b ? 1 : 0);
