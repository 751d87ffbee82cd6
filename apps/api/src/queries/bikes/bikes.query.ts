import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { CASCADE_KEY, QUERY_PROJECTIONS, bikeListingsProjection, readBikeCascade, BIKES } from '@mpp/projections';
import { VersionedAnswer, generationKey, versionedByProjections } from '../../http/answer-cache/versioned-answer.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { pageOf } from '../read-models/page-query.dto.js';
import { bikeView, idOrSlugColumn, type BikeRow, type BikeView } from '../read-models/read-model-views.js';
import type { BikeListQueryDto, BikeOptionsQueryDto } from './bike-queries.dto.js';

export class ListBikesQuery {
  constructor(readonly filter: BikeListQueryDto) {}
}

export class BikeOptionsQuery {
  constructor(readonly filter: BikeOptionsQueryDto) {}
}

export class BikeByIdOrSlugQuery {
  constructor(readonly idOrSlug: string) {}
}

const BIKE_COLUMNS = ['id', 'slug', 'year', 'make', 'model', 'trim', 'engine_cc'];
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@QueryHandler(ListBikesQuery)
export class ListBikesHandler implements IQueryHandler<ListBikesQuery> {
  constructor(@Inject(READ_DB) private readonly knex: Knex) {}

  execute({ filter }: ListBikesQuery) {
    return versionedByProjections(this.knex, QUERY_PROJECTIONS.bikes, () => this.list(filter));
  }

  private async list(filter: BikeListQueryDto) {
    const { page, limit, offset } = pageOf(filter);
    const query = this.knex(BIKES);
    if (filter.year !== undefined) query.where('year', filter.year);
    if (filter.make) query.whereRaw('lower(make) = lower(?)', [filter.make]);
    if (filter.model) query.whereRaw('lower(model) = lower(?)', [filter.model]);
    if (filter.q) {
      const words = filter.q.trim().split(/\s+/).slice(0, 6);
      for (const word of words) {
        if (/^\d{4}$/.test(word)) query.where('year', Number(word));
        else query.whereRaw(`(make || ' ' || model || ' ' || coalesce(trim, '')) ILIKE ?`, [`%${escapeLike(word)}%`]);
      }
    }
    const [{ total }] = await query.clone().count<{ total: number }[]>('* as total');
    const rows = await query.select<BikeRow[]>(BIKE_COLUMNS).orderBy([{ column: 'make' }, { column: 'model' }, { column: 'year', order: 'desc' }, { column: 'trim' }]).limit(limit).offset(offset);
    return { items: rows.map(bikeView), total: Number(total), page, limit };
  }
}

/** The year -> make -> model cascade, from the bikes the bike-listings projection keeps, versioned by the `catalog` key. */
@QueryHandler(BikeOptionsQuery)
export class BikeOptionsHandler implements IQueryHandler<BikeOptionsQuery> {
  constructor(@Inject(READ_DB) private readonly knex: Knex) {}

  async execute({ filter }: BikeOptionsQuery) {
    const { years, makes, models, version } = await readBikeCascade(this.knex, { year: filter.year, make: filter.make });
    return new VersionedAnswer({ years, makes, models }, { keys: [CASCADE_KEY, generationKey(bikeListingsProjection.name)], version });
  }
}

@QueryHandler(BikeByIdOrSlugQuery)
export class BikeByIdOrSlugHandler implements IQueryHandler<BikeByIdOrSlugQuery, VersionedAnswer<BikeView>> {
  constructor(@Inject(READ_DB) private readonly knex: Knex) {}

  execute({ idOrSlug }: BikeByIdOrSlugQuery): Promise<VersionedAnswer<BikeView>> {
    return versionedByProjections(this.knex, QUERY_PROJECTIONS.bikes, async () => {
      const row: BikeRow | undefined = await this.knex(BIKES).where(idOrSlugColumn(idOrSlug), idOrSlug.toLowerCase()).first(BIKE_COLUMNS);
      if (!row) throw new NotFound('bike', idOrSlug);
      return bikeView(row);
    });
  }
}
