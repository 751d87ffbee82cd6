import type { Knex } from 'knex';
import { parseStreamName } from '@mpp/domain';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { dataOf, occurredAt } from './recorded-event.js';

const LOG = 'verification_log';
const EVENTS = 'verification_log_events';

/**
 * The public audit trail of fitment evidence (GET /api/parts/:id/verifications).
 * - `verification_log`: one row per verification with where it came from in the log (event id,
 *   position, stream revision, hash, prevHash) and where it stands now (`state`).
 * - `verification_log_events`: every event of every fitment stream, in chain order, with its data
 *   and hashes: the history (supersessions, retractions, moderation, official fitment) and the
 *   material to re-verify the hash chain (`verifyChain`) from the read model alone.
 *
 * Policy `park`: a parked event is listed in the dead letters and the chain check over
 * `verification_log_events` reports the gap (`revision_gap`) where it is missing, so the trail
 * never hides it silently, and one bad event does not freeze every other pair's trail.
 */
export const verificationLogProjection = defineProjection({
  name: 'verification-log',
  version: 1,
  tables: [LOG, EVENTS],
  onPoisonEvent: 'park',
  createTables,
  handlers: {
    FitmentPublished: async (event, ctx) => {
      dataOf(event, 'FitmentPublished');
      await recordChainEvent(ctx, event, null);
    },

    FitmentWithdrawn: async (event, ctx) => {
      dataOf(event, 'FitmentWithdrawn');
      await recordChainEvent(ctx, event, null);
    },

    VerificationSubmitted: async (event, ctx) => {
      const { verificationId, partId, bikeId, userId, fits, notes, supersedes } = dataOf(event, 'VerificationSubmitted');
      await recordChainEvent(ctx, event, verificationId);
      await ctx
        .table(LOG)
        .insert({
          verification_id: verificationId,
          part_id: partId,
          bike_id: bikeId,
          user_id: userId,
          fits,
          notes: notes ?? null,
          lifecycle: 'active',
          hidden: false,
          supersedes: supersedes ?? null,
          submitted_at: occurredAt(event),
          ...origin(event),
        })
        .onConflict('verification_id')
        .ignore();
      if (supersedes !== undefined) {
        await ctx
          .table(LOG)
          .where({ verification_id: supersedes })
          .update({ lifecycle: 'superseded', superseded_by: verificationId, lifecycle_changed_at: occurredAt(event) });
      }
    },

    VerificationRetracted: async (event, ctx) => {
      const { verificationId, reason } = dataOf(event, 'VerificationRetracted');
      await recordChainEvent(ctx, event, verificationId);
      await ctx
        .table(LOG)
        .where({ verification_id: verificationId })
        .update({ lifecycle: 'retracted', retraction_reason: reason ?? null, lifecycle_changed_at: occurredAt(event) });
    },

    VerificationModerated: async (event, ctx) => {
      const { verificationId, action, reason, moderatorId } = dataOf(event, 'VerificationModerated');
      await recordChainEvent(ctx, event, verificationId);
      await ctx
        .table(LOG)
        .where({ verification_id: verificationId })
        .update({
          hidden: action === 'hidden',
          moderated_at: occurredAt(event),
          moderated_by: moderatorId,
          moderation_reason: reason,
        });
    },
  },
});

/** Where an event sits in the log and in its stream's hash chain. */
function origin(event: RecordedEvent) {
  return {
    event_id: event.eventId,
    position: event.position.toString(),
    stream_id: event.streamId,
    revision: event.revision.toString(),
    hash: stringOrNull(event.metadata?.hash),
    prev_hash: stringOrNull(event.metadata?.prevHash),
  };
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

async function recordChainEvent(ctx: ProjectionContext, event: RecordedEvent, verificationId: string | null): Promise<void> {
  const stream = parseStreamName(event.streamId);
  if (stream?.kind !== 'fitment') throw new Error(`${event.type} in stream ${event.streamId}, which is not a fitment stream`);
  await ctx
    .table(EVENTS)
    .insert({
      ...origin(event),
      part_id: stream.partId,
      bike_id: stream.bikeId,
      type: event.type,
      verification_id: verificationId,
      actor: stringOrNull(event.metadata?.actor),
      occurred_at: occurredAt(event),
      data: JSON.stringify(event.data),
    })
    .onConflict('event_id')
    .ignore();
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable(LOG, (t) => {
    t.uuid('verification_id').primary();
    t.uuid('part_id').notNullable();
    t.uuid('bike_id').notNullable();
    t.text('user_id').notNullable();
    t.boolean('fits').notNullable();
    t.text('notes');
    // active | superseded | retracted, as in the fitment decider; moderation is the separate `hidden`.
    t.text('lifecycle').notNullable();
    t.boolean('hidden').notNullable();
    // What the audit trail shows: a hidden verification reads as hidden whatever its lifecycle.
    t.specificType('state', "text GENERATED ALWAYS AS (CASE WHEN hidden THEN 'hidden' ELSE lifecycle END) STORED");
    t.uuid('supersedes');
    t.uuid('superseded_by');
    t.timestamp('submitted_at', { useTz: true }).notNullable();
    t.timestamp('lifecycle_changed_at', { useTz: true });
    t.text('retraction_reason');
    t.timestamp('moderated_at', { useTz: true });
    t.text('moderated_by');
    t.text('moderation_reason');
    // The VerificationSubmitted event: the entry in the log and the hash chain.
    t.uuid('event_id').notNullable().unique();
    t.bigInteger('position').notNullable();
    t.text('stream_id').notNullable();
    t.bigInteger('revision').notNullable();
    t.text('hash');
    t.text('prev_hash');
  });
  const log = qualify(schema, LOG);
  // The audit trail of a part (optionally ?bikeId), oldest first.
  await knex.raw(`CREATE INDEX verification_log_part_bike_position ON ${log} (part_id, bike_id, position)`);
  // A contributor's own verifications (and account erasure checks).
  await knex.raw(`CREATE INDEX verification_log_user_position ON ${log} (user_id, position DESC)`);
  // GET /api/verifications/recent: the newest visible, active verifications across the catalog.
  await knex.raw(`CREATE INDEX verification_log_recent_active ON ${log} (position DESC) WHERE lifecycle = 'active' AND NOT hidden`);

  await knex.schema.withSchema(schema).createTable(EVENTS, (t) => {
    t.uuid('event_id').primary();
    t.bigInteger('position').notNullable();
    t.text('stream_id').notNullable();
    t.bigInteger('revision').notNullable();
    t.uuid('part_id').notNullable();
    t.uuid('bike_id').notNullable();
    t.text('type').notNullable();
    t.uuid('verification_id');
    t.text('actor');
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.jsonb('data').notNullable();
    t.text('hash');
    t.text('prev_hash');
    // Walking one pair's chain in revision order (verifyChain).
    t.unique(['stream_id', 'revision'], { indexName: 'verification_log_events_stream_revision' });
  });
  const events = qualify(schema, EVENTS);
  // The history of a part's trail (optionally per bike), in log order.
  await knex.raw(`CREATE INDEX verification_log_events_part_bike_position ON ${events} (part_id, bike_id, position)`);
  // The history of one verification (submitted, superseded by, retracted, hidden, restored).
  await knex.raw(`CREATE INDEX verification_log_events_verification ON ${events} (verification_id, position) WHERE verification_id IS NOT NULL`);
}
