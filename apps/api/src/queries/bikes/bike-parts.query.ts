import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound, resolveRegion } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { bikeListingKey, bikeListingsProjection, readBikePartsPage, type ListingRow } from '@mpp/projections';
import { offerView, offersApart } from '../../commands/prices/regional-offers.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { VersionedAnswer, generationKey } from '../../http/answer-cache/versioned-answer.js';
import { pageOf } from '../read-models/page-query.dto.js';
import { bikeView, idOrSlugColumn } from '../read-models/read-model-views.js';
import type { BikePartsQueryDto } from './bike-queries.dto.js';
import { staleClock } from '../../http/answer-cache/stale-clock.js';

export class BikePartsQuery {
  constructor(
    readonly idOrSlug: string,
    readonly filter: BikePartsQueryDto,
    readonly now: Date,
  ) {}
}

/**
 * The hot read: one bike's parts page, read in one statement from the rows the bike-listings
 * projection shaped for it (readBikePartsPage), labelled with the version of the bike's listing.
 * The region picks the currency: `bestPrice`, the price sort and the price filters are in it alone;
 * each other currency's best offer is listed apart in `otherPrices`, never ranked against it.
 */
@QueryHandler(BikePartsQuery)
export class BikePartsHandler implements IQueryHandler<BikePartsQuery> {
  constructor(@Inject(READ_DB) private readonly knex: Knex) {}

  async execute({ idOrSlug, filter, now }: BikePartsQuery) {
    const { page, limit, offset } = pageOf(filter);
    const region = resolveRegion(filter.region);
    const { region: _asked, ...listingFilter } = filter;
    const answer = await readBikePartsPage(
      this.knex,
      { column: idOrSlugColumn(idOrSlug), value: idOrSlug.toLowerCase() },
      { ...listingFilter, currency: region.currency, limit, offset },
    );
    if (!answer) throw new NotFound('bike', idOrSlug);
    const clock = staleClock(answer.items.flatMap((row) => row.best_offers.map((offer) => offer.observedAt)), now);
    return new VersionedAnswer(
      {
        bike: bikeView(answer.bike),
        region: region.code,
        currency: region.currency,
        items: answer.items.map((row) => {
          const { best, others } = offersApart(row.best_offers, region.currency);
          return {
            part: partOf(row),
            status: row.status,
            confirmations: row.confirmations,
            refutations: row.refutations,
            bestPrice: best ? offerView(best, now) : null,
            otherPrices: others.map((offer) => offerView(offer, now)),
          };
        }),
        facets: answer.facets,
        total: answer.total,
        page,
        limit,
      },
      { keys: [bikeListingKey(answer.bike.id), generationKey(bikeListingsProjection.name)], version: answer.version, ...clock },
    );
  }
}

const partOf = (row: ListingRow) => ({
  id: row.part_id,
  slug: row.part_slug,
  sku: row.part_sku,
  brand: row.part_brand,
  name: row.part_name,
  category: row.part_category,
  description: row.part_description,
});

