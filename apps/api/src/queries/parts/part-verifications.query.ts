import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { fitmentStream, verifyChain, type ChainVerification } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import type { EventStore, RecordedEvent } from '@mpp/event-store';
import { partVerificationsKey, readVersionedPartAuditTrail, verificationLogProjection } from '@mpp/projections';
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

/** How long a held trail may go without checking its chains against the log again (a row changed in the log moves no version). */
export const CHAIN_RECHECK_MS = 60_000;

/**
 * The audit trail of a part's verifications, and whether each fitment stream's hash chain still
 * verifies. The chain is checked against the event store itself, not the read model, so a row
 * changed in the log is caught however the read model was built. A versioned answer: kept by the
 * answer cache until the part's trail version moves (or the recheck is due); the chains are
 * checked up to that version, so one version always answers with the same body while the log is intact.
 */
@QueryHandler(PartVerificationsQuery)
export class PartVerificationsHandler implements IQueryHandler<PartVerificationsQuery> {
  constructor(
    @Inject(READ_DB) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly parts: PartLookup,
    private readonly users: UsersRepository,
  ) {}

  async execute({ idOrSlug, bikeId }: PartVerificationsQuery) {
    // Addressed by id, the trail is read at the same time as the part (whose 404 wins); by slug, after it.
    const lookup = this.parts.byIdOrSlug(idOrSlug);
    const trailOf = (partId: string) => readVersionedPartAuditTrail(this.knex, partId, bikeId || undefined);
    const [part, { rows, version }] = await Promise.all([lookup, isUuid(idOrSlug) ? trailOf(idOrSlug.toLowerCase()) : lookup.then((found) => trailOf(found.id))]);
    const bikeIds = [...new Set(rows.map((r) => r.bike_id))];
    // Every pair's stream in one read (one connection, one query) rather than one read per bike,
    // at the same time as the contributors' names: one wait instead of two.
    const [names, streams] = await Promise.all([
      this.users.displayNames([...new Set(rows.map((r) => r.user_id))]),
      this.store.readStreams(bikeIds.map((id) => fitmentStream(part.id, id))),
    ]);
    const chains = bikeIds.map((id) => ({ bikeId: id, ...verifyStreamUpTo(streams.get(fitmentStream(part.id, id))!, BigInt(version)) }));
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
      validUntil: Date.now() + CHAIN_RECHECK_MS,
      // A log changed under the read model answers differently at the same version: its tag says so.
      ...(broken.length === 0 ? {} : { variant: `broken-${createHash('sha256').update(broken.join(',')).digest('base64url').slice(0, 10)}` }),
    });
  }
}

/** The stream's chain as far as the trail's version: the events the rows were projected from. */
function verifyStreamUpTo(events: readonly RecordedEvent[], upTo: bigint): ChainVerification {
  return verifyChain(events.filter((event) => event.position <= upTo));
}
