import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';
import { pageOf } from '../read-models/page-query.dto.js';
import { bikeView, partSummaryView, retailerPriceView, type BikeRow, type PartRow, type PriceRow } from '../read-models/read-model-views.js';
import type { PartListQueryDto } from './part-queries.dto.js';
import { PART_COLUMNS, PartLookup } from './part-lookup.js';

export class ListPartsQuery {
  constructor(readonly filter: PartListQueryDto) {}
}

export class PartDetailQuery {
  constructor(
    readonly idOrSlug: string,
    readonly now: Date,
  ) {}
}

@QueryHandler(ListPartsQuery)
export class ListPartsHandler implements IQueryHandler<ListPartsQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute({ filter }: ListPartsQuery) {
    const { page, limit, offset } = pageOf(filter);
    const query = this.knex('parts');
    if (filter.category) query.where('category', filter.category);
    if (filter.brand) query.whereRaw('lower(brand) = lower(?)', [filter.brand]);
    const [{ total }] = await query.clone().count<{ total: number }[]>('* as total');
    const rows: PartRow[] = await query.select(PART_COLUMNS).orderBy([{ column: 'brand' }, { column: 'name' }, { column: 'id' }]).limit(limit).offset(offset);
    return { items: rows.map(partSummaryView), total: Number(total), page, limit };
  }
}

/** Everything the part page shows at once: the part, its offers, and the bikes it is known to fit. */
@QueryHandler(PartDetailQuery)
export class PartDetailHandler implements IQueryHandler<PartDetailQuery> {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly parts: PartLookup,
  ) {}

  async execute({ idOrSlug, now }: PartDetailQuery) {
    const part = await this.parts.byIdOrSlug(idOrSlug);
    const [prices, fitment] = await Promise.all([
      currentPrices(this.knex, part.id),
      this.knex('compatibility_records as cr')
        .join('bikes as b', 'b.id', 'cr.bike_id')
        .where('cr.part_id', part.id)
        .select<(BikeRow & { status: string; confirmations: number; refutations: number })[]>(
          'b.id', 'b.slug', 'b.year', 'b.make', 'b.model', 'b.trim', 'b.engine_cc', 'cr.status', 'cr.confirmations', 'cr.refutations',
        )
        .orderBy([{ column: 'cr.status_rank' }, { column: 'b.make' }, { column: 'b.model' }, { column: 'b.year', order: 'desc' }]),
    ]);
    return {
      ...partSummaryView(part),
      attributes: part.attributes ?? null,
      prices: prices.map((row) => retailerPriceView(row, now)),
      fitment: fitment.map((row) => ({ bike: bikeView(row), status: row.status, confirmations: row.confirmations, refutations: row.refutations })),
    };
  }
}

/** Current offers of a part, cheapest in-stock first. */
export function currentPrices(knex: Knex, partId: string): Promise<PriceRow[]> {
  return knex('part_prices as pp')
    .join('retailers as r', 'r.id', 'pp.retailer_id')
    .where('pp.part_id', partId)
    .select('pp.retailer_id', 'r.name as retailer_name', 'pp.price_cents', 'pp.currency', 'pp.in_stock', 'pp.url', 'pp.observed_at')
    .orderBy([{ column: 'pp.in_stock', order: 'desc' }, { column: 'pp.price_cents' }, { column: 'r.name' }]);
}
