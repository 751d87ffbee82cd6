import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound, compatibilityFromEvents, fitmentStream, formatClockCut, isAsOf, parseEvent, type AsOf, type DomainEvent } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { StreamNotFound, type EventStore } from '@mpp/event-store';
import { compatibilityProjection, partCompatibilityKey, readVersionedPairCompatibility, BIKES } from '@mpp/projections';
import { VersionedAnswer, perPartLabel } from '../../http/answer-cache/versioned-answer.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { PartLookup } from './part-lookup.js';

export class PartCompatibilityQuery {
  constructor(
    readonly idOrSlug: string,
    readonly bikeId: string,
    readonly asOf: AsOf | undefined,
  ) {}
}

/**
 * The status of one part on one bike: now from the read model (a versioned answer, kept by the
 * answer cache until the part's compatibility version moves), or as it stood at a cut on either
 * clock by folding the pair's own stream up to it (time travel needs no extra table).
 */
@QueryHandler(PartCompatibilityQuery)
export class PartCompatibilityHandler implements IQueryHandler<PartCompatibilityQuery> {
  constructor(
    @Inject(READ_DB) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly parts: PartLookup,
  ) {}

  async execute({ idOrSlug, bikeId, asOf }: PartCompatibilityQuery) {
    const part = await this.parts.byIdOrSlug(idOrSlug);
    if (!asOf) return this.now(part.id, bikeId);
    const bike = await this.knex(BIKES).where('id', bikeId).first('id');
    if (!bike) throw new NotFound('bike', bikeId);
    const cuts = { asOf: asOf.happened ? formatClockCut(asOf.happened) : null, recordedAsOf: asOf.recorded ? formatClockCut(asOf.recorded) : null };
    const events: DomainEvent[] = [];
    try {
      for await (const event of this.store.readStream(fitmentStream(part.id, bikeId))) {
        const clocks = { position: event.position, occurredAt: event.metadata.occurredAt, recordedAt: event.createdAt };
        if (isAsOf(clocks, asOf)) events.push(parseEvent(event.type, event.data));
      }
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
    return { partId: part.id, bikeId, ...cuts, ...compatibilityFromEvents(events) };
  }

  private async now(partId: string, bikeId: string) {
    const { bikeExists, found, version } = await readVersionedPairCompatibility(this.knex, { partId, bikeId });
    if (!bikeExists) throw new NotFound('bike', bikeId);
    const body = { partId, bikeId, asOf: null, recordedAsOf: null, ...(found ?? { status: 'no_data' as const, confirmations: 0, refutations: 0, officialSource: null }) };
    return new VersionedAnswer(body, perPartLabel(compatibilityProjection.name, partCompatibilityKey(partId), version));
  }
}
