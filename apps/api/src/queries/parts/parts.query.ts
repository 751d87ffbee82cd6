import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound, resolveRegion } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { bikeListingsProjection, partPageKey, readPartPage, PARTS } from '@mpp/projections';
import { VersionedAnswer, generationKey } from '../../http/answer-cache/versioned-answer.js';
import { staleClock } from '../../http/answer-cache/stale-clock.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { pageOf } from '../read-models/page-query.dto.js';
import { idOrSlugColumn, partSummaryView, type PartRow, type PriceRow } from '../read-models/read-model-views.js';
import { bestIn, byCurrencyThenPrice, offerView } from '../../commands/prices/regional-offers.js';
import type { PartListQueryDto } from './part-queries.dto.js';
import { PART_COLUMNS } from './part-lookup.js';

export class ListPartsQuery {
  constructor(readonly filter: PartListQueryDto) {}
}

export class PartDetailQuery {
  constructor(
    readonly idOrSlug: string,
    readonly now: Date,
    /** The rider's region (ISO 3166-1 alpha-2); absent: the default region. */
    readonly region?: string,
  ) {}
}

@QueryHandler(ListPartsQuery)
export class ListPartsHandler implements IQueryHandler<ListPartsQuery> {
  constructor(@Inject(READ_DB) private readonly knex: Knex) {}

  async execute({ filter }: ListPartsQuery) {
    const { page, limit, offset } = pageOf(filter);
    const query = this.knex(PARTS);
    if (filter.category) query.where('category', filter.category);
    if (filter.brand) query.whereRaw('lower(brand) = lower(?)', [filter.brand]);
    const [{ total }] = await query.clone().count<{ total: number }[]>('* as total');
    const rows: PartRow[] = await query.select(PART_COLUMNS).orderBy([{ column: 'brand' }, { column: 'name' }, { column: 'id' }]).limit(limit).offset(offset);
    return { items: rows.map(partSummaryView), total: Number(total), page, limit };
  }
}

/**
 * Everything the part page shows at once, as the bike-listings projection wrote it (part_pages),
 * versioned by the part's key. Offers come grouped by currency, the region's first; `bestPrice` is
 * the best offer in the region's currency (null when the part has none in it).
 */
@QueryHandler(PartDetailQuery)
export class PartDetailHandler implements IQueryHandler<PartDetailQuery> {
  constructor(@Inject(READ_DB) private readonly knex: Knex) {}

  async execute({ idOrSlug, now, region: asked }: PartDetailQuery) {
    const region = resolveRegion(asked);
    const found = await readPartPage(this.knex, { column: idOrSlugColumn(idOrSlug), value: idOrSlug.toLowerCase() });
    if (!found) throw new NotFound('part', idOrSlug);
    const { page, version } = found;
    const { prices, fitment, attributes } = page;
    // jsonb keeps keys in its own order; the answer keeps the field order it always had.
    return new VersionedAnswer(
      {
        ...partSummaryView(page),
        attributes: attributes ?? null,
        region: region.code,
        currency: region.currency,
        bestPrice: ((best) => (best ? offerView(best, now) : null))(bestIn(prices, region.currency)),
        prices: [...prices].sort(byCurrencyThenPrice(region.currency)).map((offer) => offerView(offer, now)),
        fitment: fitment.map(({ bike, status, confirmations, refutations }) => ({
          bike: { id: bike.id, slug: bike.slug, year: bike.year, make: bike.make, model: bike.model, trim: bike.trim, engineCc: bike.engineCc },
          status,
          confirmations,
          refutations,
        })),
      },
      { keys: [partPageKey(page.id), generationKey(bikeListingsProjection.name)], version, ...staleClock(prices.map((offer) => offer.observedAt), now) },
    );
  }
}
