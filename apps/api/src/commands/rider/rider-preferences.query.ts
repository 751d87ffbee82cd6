import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { riderDecider, riderStream } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { StreamCommands } from '../shell/stream-commands.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { bikeView, type BikeRow, type BikeView } from '../../queries/read-models/read-model-views.js';
import { BIKES } from '@mpp/projections';

export class RiderPreferencesQuery {
  constructor(readonly userId: string) {}
}

export interface RiderPreferencesView {
  /** The region chosen on the account; null: never chosen (the web keeps its cookie or Accept-Language). */
  region: string | null;
  /** The garage's current bike; null: none. */
  garageBike: BikeView | null;
}

/**
 * The account's riding preferences, folded from the rider's own stream rather than a read model:
 * it is one short stream per account, read only by its owner, and read straight after a change
 * (sign-in on another device), where a projection could still be behind.
 */
@QueryHandler(RiderPreferencesQuery)
export class RiderPreferencesHandler implements IQueryHandler<RiderPreferencesQuery, RiderPreferencesView> {
  constructor(
    private readonly streams: StreamCommands,
    @Inject(READ_DB) private readonly knex: Knex,
  ) {}

  async execute({ userId }: RiderPreferencesQuery): Promise<RiderPreferencesView> {
    const { state } = await this.streams.load(riderStream(userId), riderDecider);
    const row: BikeRow | undefined = state.garageBikeId
      ? await this.knex(BIKES).where('id', state.garageBikeId).first('id', 'slug', 'year', 'make', 'model', 'trim', 'engine_cc')
      : undefined;
    return { region: state.region, garageBike: row ? bikeView(row) : null };
  }
}
