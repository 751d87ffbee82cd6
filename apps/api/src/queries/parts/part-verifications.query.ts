import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { fitmentStream } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { ChainTails, type EventStore } from '@mpp/event-store';
import { partVerificationsKey, readVersionedPartAuditTrail, trailContributorIds, verificationLogProjection } from '@mpp/projections';
import { VersionedAnswer, perPartLabel } from '../../http/answer-cache/versioned-answer.js';
import { UsersRepository } from '../../auth/users.repository.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { PartLookup } from './part-lookup.js';
import { isUuid } from '../read-models/read-model-views.js';

export class PartVerificationsQuery {
  constructor(
    readonly idOrSlug: string,
    readonly bikeId: string | undefined,
  ) {}
}

/**
 * How long a chain may go without being read and checked whole against the log again, in the
 * chain memory and in a held answer alike (a row changed in the log moves no version).
 */
export const CHAIN_RECHECK_MS = 60_000;

/** Fitment streams whose verified chain head the API remembers (a few hundred bytes each). */
export const CHAIN_MEMORY_STREAMS = 5_000;

/** The API's memory of verified chains, one per process. */
export const chainTailsProvider = {
  provide: ChainTails,
  inject: [EVENT_STORE],
  useFactory: (store: EventStore) => new ChainTails(store, { recheckMs: CHAIN_RECHECK_MS, capacity: CHAIN_MEMORY_STREAMS }),
};

/**
 * The audit trail of a part's verifications, and whether each fitment stream's hash chain still
 * verifies. The chain is checked against the event store itself, not the read model, so a row
 * changed in the log is caught however the read model was built: a stream that grew since its last
 * check is read and hashed from its verified head on, and read and checked whole at least every
 * CHAIN_RECHECK_MS (ChainTails). A versioned answer: kept by the answer cache until the part's trail
 * version moves or that recheck is due; the chains are checked up to that version, so one version
 * always answers with the same body while the log is intact.
 */
@QueryHandler(PartVerificationsQuery)
export class PartVerificationsHandler implements IQueryHandler<PartVerificationsQuery> {
  constructor(
    @Inject(READ_DB) private readonly knex: Knex,
    private readonly chainTails: ChainTails,
    private readonly parts: PartLookup,
    private readonly users: UsersRepository,
  ) {}

  async execute({ idOrSlug, bikeId: givenBike }: PartVerificationsQuery) {
    // One round of queries once the part's id is known (at once when it is named by its id): the
    // part, its trail, the trail's riders' names (a subquery, not the rows' ids) and, for one bike,
    // the fitment stream. The stream is read ahead of the trail, so it may miss an event up to the
    // trail's version: ChainTails reads on from where it ended then, and only then.
    const bikeId = givenBike ? givenBike.toLowerCase() : undefined;
    const named = isUuid(idOrSlug) ? undefined : await this.parts.byIdOrSlug(idOrSlug);
    const partId = named?.id ?? idOrSlug.toLowerCase();
    const bikeStream = bikeId === undefined ? undefined : fitmentStream(partId, bikeId);
    const ahead = bikeStream === undefined ? undefined : this.chainTails.readAhead([bikeStream]);
    const [part, { rows, version }, contributors] = await Promise.all([
      named ?? this.parts.byIdOrSlug(idOrSlug),
      readVersionedPartAuditTrail(this.knex, partId, bikeId),
      // On the trail's database (READ_DB, which the answer cache pins to the primary for this
      // route): wherever the trail is read, its riders are named there, not on a second server.
      this.users.displayNamesOf((knex) => trailContributorIds(knex, partId, bikeId), this.knex),
    ]);
    const bikeIds = [...new Set(rows.map((r) => r.bike_id))];
    const streams = bikeIds.map((id) => fitmentStream(part.id, id));
    // The names and the rows are two statements on two connections, so two snapshots, even on one
    // database: a row the projector committed between them may have a rider the names missed. Named
    // in a second statement (rare).
    const unnamed = [...new Set(rows.map((r) => r.user_id))].filter((id) => !contributors.has(id));
    const [names, verified] = await Promise.all([
      unnamed.length === 0 ? contributors : this.users.displayNames(unnamed, this.knex).then((more) => new Map([...contributors, ...more])),
      // Without a bike, every pair's stream in one read (one connection, one query), after the trail.
      ahead && streams.length === 1 && streams[0] === bikeStream ? ahead.upTo(BigInt(version)) : this.chainTails.verifyUpTo(streams, BigInt(version)),
    ]);
    const chains = bikeIds.map((id) => ({ bikeId: id, ...verified.chains.get(fitmentStream(part.id, id))! }));
    const body = {
      items: rows.map((row) => ({
        verificationId: row.verification_id,
        bikeId: row.bike_id,
        fits: row.fits,
        // A moderator hid it: the fact stays on the record, its words do not.
        notes: row.state === 'hidden' ? null : row.notes,
        contributor: { displayName: names.get(row.user_id) ?? 'Unknown rider' },
        submittedAt: new Date(row.submitted_at).toISOString(),
        state: row.state,
        eventId: row.event_id,
        position: Number(row.position),
        hash: row.hash,
        prevHash: row.prev_hash,
      })),
      chainValid: chains.every((c) => c.valid),
      chains,
    };
    const broken = chains.flatMap((chain) => (chain.valid ? [] : [`${chain.brokenAt.eventId}:${chain.brokenAt.reason}`]));
    return new VersionedAnswer(body, {
      ...perPartLabel(verificationLogProjection.name, partVerificationsKey(part.id), version),
      // Never held past the recheck of the oldest whole check the chains rest on.
      validUntil: verified.recheckBy,
      // A log changed under the read model answers differently at the same version: its tag says so.
      ...(broken.length === 0 ? {} : { variant: `broken-${createHash('sha256').update(broken.join(',')).digest('base64url').slice(0, 10)}` }),
    });
  }
}

