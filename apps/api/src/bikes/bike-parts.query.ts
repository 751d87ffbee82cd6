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
type FacetCount = { value: string; count: number };

// The part id breaks ties so that pages are stable and equal data always answers the same.
const ORDER: Record<BikePartSort, string> = {
  relevance: 'cr.status_rank ASC, cr.confirmations DESC, cr.part_name ASC, cr.part_id ASC',
  price_asc: 'cr.price_cents ASC NULLS LAST, cr.status_rank ASC, cr.part_name ASC, cr.part_id ASC',
  price_desc: 'cr.price_cents DESC NULLS LAST, cr.status_rank ASC, cr.part_name ASC, cr.part_id ASC',
  confirmations: 'cr.confirmations DESC, cr.status_rank ASC, cr.part_name ASC, cr.part_id ASC',
  name: 'cr.part_name ASC, cr.part_id ASC',
};

type Facet = 'category' | 'brand' | 'status';

/** The facet filters as SQL over `listed` (named bindings), each facet leaving out its own. */
const FACET_FILTERS: Record<Facet, (filter: BikePartsQueryDto) => string | undefined> = {
  category: (filter) => (filter.category ? 'part_category = :category' : undefined),
  brand: (filter) => (filter.brand ? 'lower(part_brand) = lower(:brand)' : undefined),
  status: (filter) => (filter.status ? 'status = :status' : undefined),
};

function facetWhere(filter: BikePartsQueryDto, except?: Facet): string {
  const conditions = (Object.keys(FACET_FILTERS) as Facet[]).filter((facet) => facet !== except).map((facet) => FACET_FILTERS[facet](filter)).filter(Boolean);
  return conditions.length === 0 ? 'true' : conditions.join(' AND ');
}

/** Facet values by count, then value, as JSON. */
const facetSql = (column: string, filter: BikePartsQueryDto, facet: Facet) => `
  (SELECT coalesce(json_agg(f ORDER BY f.count DESC, f.value), '[]'::json)
     FROM (SELECT ${column} AS value, count(*) AS count FROM listed WHERE ${facetWhere(filter, facet)} GROUP BY ${column}) f)`;

/**
 * The hot read: parts known for one bike, from compatibility_records (which carries the part's
 * category, brand and name, so filters and order use its (bike_id, ...) indexes) joined by
 * primary key to the part and its best offer.
 *
 * One statement after the bike: the bike's records (price filters applied) are read once into
 * `listed`, and the page, the total and each facet (counted with every filter but its own, so a
 * rider sees what choosing another value would give) are computed from it. Six round trips each
 * re-reading the records measured 1.7-1.9x slower on the same tables (docs/performance.md).
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
    const prices = [
      ...(filter.minPrice === undefined ? [] : ['bp.price_cents >= :minPrice']),
      ...(filter.maxPrice === undefined ? [] : ['bp.price_cents <= :maxPrice']),
    ];
    const { rows } = await this.knex.raw<{ rows: { items: Row[]; total: number; category: FacetCount[]; brand: FacetCount[]; status: FacetCount[] }[] }>(
      `WITH listed AS MATERIALIZED (
         SELECT cr.part_id, cr.status, cr.status_rank, cr.confirmations, cr.refutations, cr.part_category, cr.part_brand, cr.part_name,
                bp.retailer_id, bp.price_cents, bp.currency, bp.in_stock, bp.observed_at
           FROM compatibility_records cr
           JOIN parts p ON p.id = cr.part_id
           LEFT JOIN part_best_prices bp ON bp.part_id = cr.part_id
          WHERE cr.bike_id = :bikeId${prices.map((condition) => ` AND ${condition}`).join('')}
       ),
       page AS (
         SELECT row_number() OVER (ORDER BY ${ORDER[filter.sort ?? 'relevance']}) AS ord,
                p.id, p.slug, p.sku, p.brand, p.name, p.category, p.description,
                cr.status, cr.confirmations, cr.refutations,
                cr.retailer_id, r.name AS retailer_name, cr.price_cents, cr.currency, cr.in_stock, pp.url, cr.observed_at
           FROM listed cr
           JOIN parts p ON p.id = cr.part_id
           LEFT JOIN part_prices pp ON pp.part_id = cr.part_id AND pp.retailer_id = cr.retailer_id
           LEFT JOIN retailers r ON r.id = cr.retailer_id
          WHERE ${facetWhere(filter)}
          ORDER BY ${ORDER[filter.sort ?? 'relevance']}
          LIMIT :limit OFFSET :offset
       )
       SELECT (SELECT coalesce(json_agg(page ORDER BY page.ord), '[]'::json) FROM page) AS items,
              (SELECT count(*) FROM listed WHERE ${facetWhere(filter)})::int AS total,
              ${facetSql('part_category', filter, 'category')} AS category,
              ${facetSql('part_brand', filter, 'brand')} AS brand,
              ${facetSql('status', filter, 'status')} AS status`,
      {
        bikeId: bike.id,
        limit,
        offset,
        ...(filter.category ? { category: filter.category } : {}),
        ...(filter.brand ? { brand: filter.brand } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.minPrice === undefined ? {} : { minPrice: filter.minPrice }),
        ...(filter.maxPrice === undefined ? {} : { maxPrice: filter.maxPrice }),
      },
    );
    const [answer] = rows;
    return {
      bike,
      items: answer!.items.map((row) => ({
        part: partSummaryView(row),
        status: row.status,
        confirmations: row.confirmations,
        refutations: row.refutations,
        bestPrice: row.price_cents == null ? null : retailerPriceView(row as PriceRow, now),
      })),
      facets: { category: answer!.category, brand: answer!.brand, status: answer!.status },
      total: answer!.total,
      page,
      limit,
    };
  }
}
