import { Inject } from '@nestjs/common';
import { QueryHandler, QueryBus, type IQueryHandler } from '@nestjs/cqrs';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';
import { pageOf } from '../read-models/page-query.dto.js';
import { partSummaryView, retailerPriceView, type BikeView, type PartRow, type PriceRow } from '../read-models/read-model-views.js';
import type { BikePartSort, BikePartsQueryDto } from './bike-queries.dto.js';
import { BikeByIdOrSlugQuery } from './bike-queries.js';

export class BikePartsQuery {
  constructor(
    readonly idOrSlug: string,
    readonly filter: BikePartsQueryDto,
    readonly now: Date,
  ) {}
}

type Row = PartRow & Partial<PriceRow> & { status: string; confirmations: number; refutations: number };

const ORDER: Record<BikePartSort, string> = {
  relevance: 'cr.status_rank ASC, cr.confirmations DESC, cr.part_name ASC, cr.part_id ASC',
  price_asc: 'bp.price_cents ASC NULLS LAST, cr.status_rank ASC, cr.part_name ASC, cr.part_id ASC',
  price_desc: 'bp.price_cents DESC NULLS LAST, cr.status_rank ASC, cr.part_name ASC, cr.part_id ASC',
  confirmations: 'cr.confirmations DESC, cr.status_rank ASC, cr.part_name ASC, cr.part_id ASC',
  name: 'cr.part_name ASC, cr.part_id ASC',
};

// The part id breaks ties so that pages are stable and equal data always answers the same.
type Facet = 'category' | 'brand' | 'status';

/**
 * The hot read: parts known for one bike, from compatibility_records (which carries the part's
 * category, brand and name, so filters and order use its (bike_id, ...) indexes) joined by
 * primary key to the part and its best offer.
 */
@QueryHandler(BikePartsQuery)
export class BikePartsHandler implements IQueryHandler<BikePartsQuery> {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly queries: QueryBus,
  ) {}

  async execute({ idOrSlug, filter, now }: BikePartsQuery) {
    const bike = await this.queries.execute<BikeByIdOrSlugQuery, BikeView>(new BikeByIdOrSlugQuery(idOrSlug));
    const { page, limit, offset } = pageOf(filter);
    const filtered = this.filtered(bike.id, filter);
    const [rows, [{ total }], facets] = await Promise.all([
      filtered
        .clone()
        .leftJoin('part_prices as pp', function () {
          this.on('pp.part_id', 'bp.part_id').andOn('pp.retailer_id', 'bp.retailer_id');
        })
        .leftJoin('retailers as r', 'r.id', 'bp.retailer_id')
        .select<Row[]>(
          'p.id', 'p.slug', 'p.sku', 'p.brand', 'p.name', 'p.category', 'p.description',
          'cr.status', 'cr.confirmations', 'cr.refutations',
          'bp.retailer_id', 'r.name as retailer_name', 'bp.price_cents', 'bp.currency', 'bp.in_stock', 'pp.url', 'bp.observed_at',
        )
        .orderByRaw(ORDER[filter.sort ?? 'relevance'])
        .limit(limit)
        .offset(offset),
      filtered.clone().count<{ total: number }[]>('* as total'),
      this.facets(bike.id, filter),
    ]);
    return {
      bike,
      items: rows.map((row) => ({
        part: partSummaryView(row),
        status: row.status,
        confirmations: row.confirmations,
        refutations: row.refutations,
        bestPrice: row.price_cents == null ? null : retailerPriceView(row as PriceRow, now),
      })),
      facets,
      total: Number(total),
      page,
      limit,
    };
  }

  private filtered(bikeId: string, filter: BikePartsQueryDto, except?: Facet): Knex.QueryBuilder {
    const query = this.knex('compatibility_records as cr')
      .join('parts as p', 'p.id', 'cr.part_id')
      .leftJoin('part_best_prices as bp', 'bp.part_id', 'cr.part_id')
      .where('cr.bike_id', bikeId);
    if (filter.category && except !== 'category') query.where('cr.part_category', filter.category);
    if (filter.brand && except !== 'brand') query.whereRaw('lower(cr.part_brand) = lower(?)', [filter.brand]);
    if (filter.status && except !== 'status') query.where('cr.status', filter.status);
    if (filter.minPrice !== undefined) query.where('bp.price_cents', '>=', filter.minPrice);
    if (filter.maxPrice !== undefined) query.where('bp.price_cents', '<=', filter.maxPrice);
    return query;
  }

  /** Each facet counts with every filter but its own, so a rider sees what choosing another value would give. */
  private async facets(bikeId: string, filter: BikePartsQueryDto) {
    const count = async (facet: Facet, column: string) => {
      const rows: { value: string; count: number }[] = await this.filtered(bikeId, filter, facet)
        .select(`${column} as value`)
        .count('* as count')
        .groupBy(column)
        .orderBy([{ column: 'count', order: 'desc' }, { column: 'value' }]);
      return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
    };
    const [category, brand, status] = await Promise.all([count('category', 'cr.part_category'), count('brand', 'cr.part_brand'), count('status', 'cr.status')]);
    return { category, brand, status };
  }
}
