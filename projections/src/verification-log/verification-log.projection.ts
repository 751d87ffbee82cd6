import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { USER_ERASED, UserErasedData } from '@mpp/domain';
import { dataOf, fitmentPairOf, occurredAt } from '../shared/recorded-event.js';
import { openedPersonalText, readKeysFor, type UserKeys } from '../shared/personal-text.js';
import { createReaderIndexes, readerIndexHooks, type ReaderIndex } from '../shared/reader-indexes.js';
import { touchChainEvents, touchTrails, writeChainVersionsOfEvents } from './verification-log-versions.js';
import { createKeyVersionsTable, keyVersionsWrite, writeKeyVersions, type CteFragment } from '../shared/key-versions.js';
import { copyRows } from '../shared/copy-rows.js';
import {
  foldVerificationLog,
  verificationIdsTouched,
  type ChainOrigin,
  type StreamPair,
  type VerificationLogChange,
  type VerificationLogRow,
} from './verification-log-lifecycle.js';
import { VERIFICATION_LOG as LOG, VERIFICATION_LOG_EVENTS as EVENTS, VERIFICATION_LOG_VERSIONS } from './verification-log.tables.js';

/**
 * The public audit trail of fitment evidence (GET /api/parts/:id/verifications).
 * - `verification_log`: one row per verification with where it came from in the log (event id,
 *   position, stream revision, hash, prevHash) and where it stands now (`state`).
 * - `verification_log_events`: every event of every fitment stream, in chain order, with its data
 *   and hashes: the history (supersessions, retractions, moderation, official fitment) and the
 *   material to re-verify the hash chain (`verifyChain`) from the read model alone.
 *
 * Set-based, because a rebuild replays every FitmentPublished of the catalog: per batch (between
 * erasures), two statements: the insert of its chain events with the read of the verifications it
 * touches, then the write of the ones it changed with the per-part versions (docs/projections.md,
 * "The verification log's live batch").
 *
 * Policy `park`: a parked event is listed in the dead letters and the chain check over
 * `verification_log_events` reports the gap (`revision_gap`) where it is missing, so the trail
 * never hides it silently, and one bad event does not freeze every other pair's trail.
 */
/** The trail's query indexes; no statement of the projection reads by them. */
const READER_INDEXES: readonly ReaderIndex[] = [
  // The audit trail of a part (optionally ?bikeId), oldest first.
  { name: 'verification_log_part_bike_position', table: LOG, definition: '(part_id, bike_id, position)' },
  // GET /api/verifications/recent: the newest visible, active verifications across the catalog.
  { name: 'verification_log_recent_active', table: LOG, definition: "(position DESC) WHERE lifecycle = 'active' AND NOT hidden" },
  // The history of a part's trail (optionally per bike), in log order.
  { name: 'verification_log_events_part_bike_position', table: EVENTS, definition: '(part_id, bike_id, position)' },
  // The history of one verification (submitted, superseded by, retracted, hidden, restored).
  { name: 'verification_log_events_verification', table: EVENTS, definition: '(verification_id, position) WHERE verification_id IS NOT NULL' },
];
const READER_INDEX_HOOKS = readerIndexHooks(READER_INDEXES);

export const verificationLogProjection = defineProjection({
  name: 'verification-log',
  // 2: verification_log_events keeps hash_version, so version 2 chains verify from the read model too.
  // 3: verification_log_versions, the per-part versions of the trail (answer cache, ETags).
  version: 3,
  tables: [LOG, EVENTS, VERIFICATION_LOG_VERSIONS],
  keyVersions: VERIFICATION_LOG_VERSIONS,
  onPoisonEvent: 'park',
  createTables,
  eventTypes: ['FitmentPublished', 'FitmentWithdrawn', 'VerificationSubmitted', 'VerificationRetracted', 'VerificationModerated', USER_ERASED],
  applyBatch: (events, ctx) => applyLogBatch(events, ctx, { bulk: false }),
  // Already set-based; catching up for a generation nobody reads yet, without the readers' indexes,
  // and with the chain events' versions derived once at the end.
  bulk: {
    applyBatch: (events, ctx) => applyLogBatch(events, ctx, { bulk: true }),
    dropReaderIndexes: READER_INDEX_HOOKS.drop,
    finish: async (ctx) => {
      await writeChainVersionsOfEvents(ctx);
      await READER_INDEX_HOOKS.create(ctx);
    },
  },
});

async function applyLogBatch(events: readonly RecordedEvent[], ctx: ProjectionContext, mode: { bulk: boolean }): Promise<void> {
  const keys = await readKeysFor(ctx, events);
  // The versions ride in the last statement of each run of chain events. An erasure's wait for the
  // next run's statement, or are written alone when the batch ends with the erasure (versions only
  // rise, so where in the transaction they are written does not matter).
  let versions = new Map<string, bigint>();
  // An erasure applies to what came before it in the log, so the batch is cut at each one.
  for (const run of runsBetweenErasures(events)) {
    if (run.type === 'erasure') touchTrails(versions, await eraseRidersText(ctx, run.userId), run.position);
    else {
      if (!mode.bulk) touchChainEvents(versions, run.events);
      await applyChainEvents(ctx, run.events, keys, versions, mode);
      versions = new Map();
    }
  }
  await writeKeyVersions(ctx, VERIFICATION_LOG_VERSIONS, versions);
}

/**
 * Two statements: the chain events' insert with the read of the logged verifications the changes
 * touch; then the changed rows' upsert with the versions (or the versions with the insert, when
 * nothing in the run changes the log). Every row was just read in this transaction, so a stored one
 * takes the folded state (verification-log-lifecycle.ts); the rest never change after the submission.
 * A bulk batch copies the chain events in first (`copyRows`: hundreds of thousands of
 * FitmentPublished in a rebuild), a statement more for about a third less work (docs/performance.md,
 * "Session 19").
 */
async function applyChainEvents(ctx: ProjectionContext, events: readonly RecordedEvent[], keys: UserKeys, touched: ReadonlyMap<string, bigint>, mode: { bulk: boolean }): Promise<void> {
  const entries = events.map((event) => logEntryOf(event, keys));
  const chainEvents = entries.map((entry) => entry.chainEvent);
  // A live batch inserts the chain events in its first statement below; a bulk batch copies them now.
  const chain = mode.bulk ? undefined : rowsInsert(ctx, 'chain', EVENTS, CHAIN_EVENT_COLUMNS, chainEvents, 'ON CONFLICT (event_id) DO NOTHING');
  if (mode.bulk) await copyRows(ctx, EVENTS, CHAIN_EVENT_COLUMN_NAMES, chainEvents);
  const versions = touched.size > 0 ? [keyVersionsWrite(ctx, VERIFICATION_LOG_VERSIONS, touched)] : [];
  const changes = entries.flatMap((entry) => entry.change ?? []);
  if (changes.length === 0) {
    const ctes = [...(chain ? [chain] : []), ...versions];
    if (ctes.length > 0) await runCtes(ctx, ctes);
    return;
  }
  const { rows } = await ctx.trx.raw<{ rows: VerificationLogRow[] }>(
    `${chain ? `WITH ${chain.cte} ` : ''}SELECT ${Object.keys(LOG_COLUMNS).join(', ')} FROM ${ctx.qualified(LOG)} WHERE verification_id = ANY(?::uuid[])`,
    [...(chain?.bindings ?? []), verificationIdsTouched(changes)],
  );
  // BIGINT arrives as a number or a string depending on the pg type parser in use.
  const stored = rows.map((row) => ({ ...row, position: String(row.position), revision: String(row.revision) }));
  const upsert = `ON CONFLICT (verification_id) DO UPDATE SET ${LIFECYCLE_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}`;
  await runCtes(ctx, [rowsInsert(ctx, 'logged', LOG, LOG_COLUMNS, foldVerificationLog(stored, changes), upsert), ...versions]);
}

/**
 * The rider's notes and retraction reasons leave the trail; the verifications stay (they are
 * evidence, attributed to an id that now shows as a former rider). `verification_log_events`
 * keeps each event's data as hashed, which for sealed text is its commitment only.
 */
async function eraseRidersText(ctx: ProjectionContext, userId: string): Promise<string[]> {
  const rows: { part_id: string }[] = await ctx.table(LOG).where({ user_id: userId }).update({ notes: null, retraction_reason: null }, ['part_id']);
  return [...new Set(rows.map((row) => row.part_id))];
}

type Run = { type: 'events'; events: RecordedEvent[] } | { type: 'erasure'; userId: string; position: bigint };

function runsBetweenErasures(events: readonly RecordedEvent[]): Run[] {
  const runs: Run[] = [];
  for (const event of events) {
    if (event.type === USER_ERASED) {
      runs.push({ type: 'erasure', userId: UserErasedData.parse(event.data).userId, position: event.position });
      continue;
    }
    const last = runs.at(-1);
    if (last?.type === 'events') last.events.push(event);
    else runs.push({ type: 'events', events: [event] });
  }
  return runs;
}

/** A row of `verification_log_events`. */
interface ChainEventRow extends ChainOrigin {
  part_id: string;
  bike_id: string;
  type: string;
  verification_id: string | null;
  actor: string | null;
  occurred_at: Date;
  data: Record<string, unknown>;
  /** metadata.hashVersion; null for version 1 events, which carry none. */
  hash_version: number | null;
}

/** An event checked against its schema and its stream: its place in the chain, and what it does to the log. */
export function logEntryOf(event: RecordedEvent, keys: UserKeys = new Map()): { chainEvent: ChainEventRow; change?: VerificationLogChange } {
  switch (event.type) {
    case 'FitmentPublished':
      dataOf(event, 'FitmentPublished');
      return { chainEvent: chainEventOf(event, null) };
    case 'FitmentWithdrawn':
      dataOf(event, 'FitmentWithdrawn');
      return { chainEvent: chainEventOf(event, null) };
    case 'VerificationSubmitted': {
      const { verificationId, partId, bikeId, userId, fits, supersedes } = dataOf(event, 'VerificationSubmitted');
      const notes = openedPersonalText(event, keys, 'notes');
      const id = verificationId.toLowerCase();
      const row: VerificationLogRow = {
        verification_id: id,
        part_id: partId.toLowerCase(),
        bike_id: bikeId.toLowerCase(),
        user_id: userId,
        fits,
        notes: notes ?? null,
        lifecycle: 'active',
        hidden: false,
        supersedes: supersedes?.toLowerCase() ?? null,
        superseded_by: null,
        submitted_at: occurredAt(event),
        lifecycle_changed_at: null,
        retraction_reason: null,
        moderated_at: null,
        moderated_by: null,
        moderation_reason: null,
        ...origin(event),
      };
      return { chainEvent: chainEventOf(event, id), change: { type: 'submitted', row } };
    }
    case 'VerificationRetracted': {
      const { verificationId } = dataOf(event, 'VerificationRetracted');
      const reason = openedPersonalText(event, keys, 'reason');
      const id = verificationId.toLowerCase();
      return { chainEvent: chainEventOf(event, id), change: { type: 'retracted', pair: streamPairOf(event), verificationId: id, reason: reason ?? null, at: occurredAt(event) } };
    }
    case 'VerificationModerated': {
      const { verificationId, action, reason, moderatorId } = dataOf(event, 'VerificationModerated');
      const id = verificationId.toLowerCase();
      return {
        chainEvent: chainEventOf(event, id),
        change: { type: 'moderated', pair: streamPairOf(event), verificationId: id, hidden: action === 'hidden', moderatorId, reason, at: occurredAt(event) },
      };
    }
    default:
      throw new TypeError(`verification-log received ${event.type}`);
  }
}

/** Lower case, as the stored rows come back from their uuid columns. */
function streamPairOf(event: RecordedEvent): StreamPair {
  const { partId, bikeId } = fitmentPairOf(event);
  return { partId: partId.toLowerCase(), bikeId: bikeId.toLowerCase() };
}

function origin(event: RecordedEvent): ChainOrigin {
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

function chainEventOf(event: RecordedEvent, verificationId: string | null): ChainEventRow {
  const stream = fitmentPairOf(event);
  return {
    ...origin(event),
    part_id: stream.partId,
    bike_id: stream.bikeId,
    type: event.type,
    verification_id: verificationId,
    actor: stringOrNull(event.metadata?.actor),
    occurred_at: occurredAt(event),
    data: event.data,
    hash_version: typeof event.metadata?.hashVersion === 'number' ? event.metadata.hashVersion : null,
  };
}

const LOG_COLUMNS = {
  verification_id: 'uuid',
  part_id: 'uuid',
  bike_id: 'uuid',
  user_id: 'text',
  fits: 'boolean',
  notes: 'text',
  lifecycle: 'text',
  hidden: 'boolean',
  supersedes: 'uuid',
  superseded_by: 'uuid',
  submitted_at: 'timestamptz',
  lifecycle_changed_at: 'timestamptz',
  retraction_reason: 'text',
  moderated_at: 'timestamptz',
  moderated_by: 'text',
  moderation_reason: 'text',
  event_id: 'uuid',
  position: 'bigint',
  stream_id: 'text',
  revision: 'bigint',
  hash: 'text',
  prev_hash: 'text',
} as const satisfies Record<keyof VerificationLogRow, string>;

const LIFECYCLE_COLUMNS = [
  'lifecycle',
  'hidden',
  'superseded_by',
  'lifecycle_changed_at',
  'retraction_reason',
  'moderated_at',
  'moderated_by',
  'moderation_reason',
] as const satisfies readonly (keyof VerificationLogRow)[];

const CHAIN_EVENT_COLUMNS = {
  event_id: 'uuid',
  position: 'bigint',
  stream_id: 'text',
  revision: 'bigint',
  part_id: 'uuid',
  bike_id: 'uuid',
  type: 'text',
  verification_id: 'uuid',
  actor: 'text',
  occurred_at: 'timestamptz',
  data: 'jsonb',
  hash: 'text',
  prev_hash: 'text',
  hash_version: 'smallint',
} as const satisfies Record<keyof ChainEventRow, string>;
const CHAIN_EVENT_COLUMN_NAMES = Object.keys(CHAIN_EVENT_COLUMNS) as (keyof ChainEventRow)[];

/**
 * A multi-row INSERT of typed rows as a CTE, the rows passed as one JSON array (Dates become ISO
 * instants); no rows insert nothing.
 */
function rowsInsert<Row extends object>(
  ctx: ProjectionContext,
  name: string,
  table: string,
  columns: Record<keyof Row & string, string>,
  rows: readonly Row[],
  onConflict: string,
): CteFragment {
  const names = Object.keys(columns).join(', ');
  const definitions = Object.entries(columns).map(([column, type]) => `${column} ${type}`).join(', ');
  return {
    cte: `${name} AS (INSERT INTO ${ctx.qualified(table)} (${names}) SELECT ${names} FROM jsonb_to_recordset(?::jsonb) AS r(${definitions}) ${onConflict})`,
    bindings: [JSON.stringify(rows)],
  };
}

/** The data-modifying CTEs as one statement: PostgreSQL runs each to completion though nothing reads them. */
async function runCtes(ctx: ProjectionContext, ctes: readonly CteFragment[]): Promise<void> {
  await ctx.trx.raw(`WITH ${ctes.map((fragment) => fragment.cte).join(', ')} SELECT 1`, ctes.flatMap((fragment) => fragment.bindings));
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
  // A contributor's own verifications, and the erasure's update of a rider's text (a handler needs it).
  await knex.raw(`CREATE INDEX verification_log_user_position ON ${log} (user_id, position DESC)`);

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
    t.smallint('hash_version');
    // Walking one pair's chain in revision order (verifyChain).
    t.unique(['stream_id', 'revision'], { indexName: 'verification_log_events_stream_revision' });
  });
  await createReaderIndexes(knex, (name) => qualify(schema, name), READER_INDEXES);
  await createKeyVersionsTable(knex, schema, VERIFICATION_LOG_VERSIONS);
}
