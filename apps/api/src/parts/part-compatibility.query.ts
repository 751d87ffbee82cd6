import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound, compatibilityAsOf, fitmentStream, parseEvent, type TimedDomainEvent } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { StreamNotFound, type EventStore } from '@mpp/event-store';
import { EVENT_STORE, KNEX } from '../infrastructure/tokens.js';
import { PartLookup } from './part-lookup.js';

export class PartCompatibilityQuery {
  constructor(
    readonly idOrSlug: string,
    readonly bikeId: string,
    readonly asOf: string | undefined,
  ) {}
}

/**
 * The status of one part on one bike: now from the read model, or as it stood at `asOf` by
 * folding the pair's own stream up to that instant (time travel needs no extra table).
 */
@QueryHandler(PartCompatibilityQuery)
export class PartCompatibilityHandler implements IQueryHandler<PartCompatibilityQuery> {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly parts: PartLookup,
  ) {}

  async execute({ idOrSlug, bikeId, asOf }: PartCompatibilityQuery) {
    const part = await this.parts.byIdOrSlug(idOrSlug);
    const bike = await this.knex('bikes').where('id', bikeId).first('id');
    if (!bike) throw new NotFound('bike', bikeId);
    if (asOf) {
      const events: TimedDomainEvent[] = [];
      try {
        for await (const event of this.store.readStream(fitmentStream(part.id, bikeId))) {
          events.push({ ...parseEvent(event.type, event.data), occurredAt: event.metadata.occurredAt });
        }
      } catch (error) {
        if (!(error instanceof StreamNotFound)) throw error;
      }
      const then = compatibilityAsOf(events, asOf);
      return { partId: part.id, bikeId, asOf: new Date(asOf).toISOString(), ...then };
    }
    const row = await this.knex('compatibility_records').where({ part_id: part.id, bike_id: bikeId }).first('status', 'confirmations', 'refutations', 'official_source');
    return {
      partId: part.id,
      bikeId,
      asOf: null,
      status: row?.status ?? 'no_data',
      confirmations: row?.confirmations ?? 0,
      refutations: row?.refutations ?? 0,
      officialSource: row?.official_source ?? null,
    };
  }
}
