import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';
import { currentPrices } from '../parts/part-queries.js';
import { retailerPriceView } from '../read-models/read-model-views.js';

export class CurrentPricesQuery {
  constructor(
    readonly partId: string,
    readonly now: Date,
  ) {}
}

export class PriceHistoryQuery {
  constructor(
    readonly partId: string,
    readonly retailerId: string | undefined,
    readonly days: number,
    readonly now: Date,
  ) {}
}

export class ListRetailersQuery {}

async function assertPartExists(knex: Knex, partId: string): Promise<void> {
  if (!(await knex('parts').where('id', partId).first('id'))) throw new NotFound('part', partId);
}

@QueryHandler(CurrentPricesQuery)
export class CurrentPricesHandler implements IQueryHandler<CurrentPricesQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute({ partId, now }: CurrentPricesQuery) {
    await assertPartExists(this.knex, partId);
    return { items: (await currentPrices(this.knex, partId)).map((row) => retailerPriceView(row, now)) };
  }
}

/** Daily minimum per retailer over the last `days` days, oldest first (what a chart draws). */
@QueryHandler(PriceHistoryQuery)
export class PriceHistoryHandler implements IQueryHandler<PriceHistoryQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute({ partId, retailerId, days, now }: PriceHistoryQuery) {
    await assertPartExists(this.knex, partId);
    const since = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
    const query = this.knex('price_history').where('part_id', partId).andWhere('day', '>=', since);
    if (retailerId) query.where('retailer_id', retailerId);
    const rows: { retailer_id: string; day: Date | string; min_price_cents: number; currency: string }[] = await query
      .select('retailer_id', this.knex.raw(`to_char(day, 'YYYY-MM-DD') as day`), 'min_price_cents', 'currency')
      .orderBy([{ column: 'day' }, { column: 'retailer_id' }]);
    return { items: rows.map((r) => ({ retailerId: r.retailer_id, day: String(r.day), priceCents: r.min_price_cents, currency: r.currency })) };
  }
}

@QueryHandler(ListRetailersQuery)
export class ListRetailersHandler implements IQueryHandler<ListRetailersQuery> {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async execute() {
    const rows: { id: string; name: string; base_url: string }[] = await this.knex('retailers').select('id', 'name', 'base_url').orderBy('name');
    return { items: rows.map((r) => ({ id: r.id, name: r.name, baseUrl: r.base_url })) };
  }
}
