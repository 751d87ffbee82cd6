import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateToLatest } from '@mpp/db';
import { DOMAIN_EVENT_TYPES, EVENT_ENVELOPE_COLUMNS, eventDataColumns, eventTableName, type DomainEventType, type EventColumnKind } from '@mpp/domain';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { generateIntoStore, planForEvents } from '@mpp/generator';
import { refreshAnalyticsViews } from './0015b-analytics-views.js';

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: DomainEventType;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  created_at: Date;
}

/** What the view row of a stored event must be, computed from the events table in JS, not by SQL. */
function expectedRow(event: EventRow): Record<string, unknown> {
  const row: Record<string, unknown> = {
    position: event.position,
    stream_id: event.stream_id,
    revision: event.revision,
    event_id: event.event_id,
    occurred_at: new Date(String(event.metadata.occurredAt)),
    recorded_at: event.created_at,
    actor: event.metadata.actor,
    schema_version: event.metadata.schemaVersion,
  };
  for (const column of eventDataColumns(event.type)) row[column.name] = typed(column.kind, event.data[column.field]);
  return row;
}

function typed(kind: EventColumnKind, value: unknown): unknown {
  if (value === undefined) return null;
  if (kind === 'timestamptz') return new Date(String(value));
  return value;
}

describe('migration 0015: the analytics views', () => {
  let db: TestDatabase;
  const counts = new Map<string, number>();

  beforeAll(async () => {
    db = await createTestDatabase();
    // A generated log: every event type the generator writes, in a realistic mix.
    await generateIntoStore({ connectionString: db.url, plan: planForEvents(3_000), seed: 'analytics-views' });
    const { rows } = await db.knex.raw<{ rows: { type: string; n: number }[] }>('SELECT type, count(*)::int AS n FROM events GROUP BY type');
    for (const row of rows) counts.set(row.type, row.n);
  });
  afterAll(() => db?.drop());

  it('writes a log that holds every event type, so every view is tried on real rows', () => {
    expect(DOMAIN_EVENT_TYPES.filter((type) => !counts.has(type))).toEqual([]);
  });

  it('has one view per event type, named after it in snake case, and nothing else', async () => {
    const { rows } = await db.knex.raw<{ rows: { name: string }[] }>(
      "SELECT table_name AS name FROM information_schema.views WHERE table_schema = 'analytics' ORDER BY 1",
    );
    expect(rows.map((row) => row.name)).toEqual(DOMAIN_EVENT_TYPES.map(eventTableName).sort());
    expect(rows.map((row) => row.name)).toEqual(expect.arrayContaining(['verification_submitted', 'price_observed', 'build_updated']));
  });

  it('types the columns: bigint positions, uuid ids, timestamptz times, integer cents beside the currency, booleans', async () => {
    const { rows } = await db.knex.raw<{ rows: { column_name: string; data_type: string }[] }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'analytics' AND table_name = 'price_observed' ORDER BY ordinal_position",
    );
    expect(Object.fromEntries(rows.map((row) => [row.column_name, row.data_type]))).toEqual({
      position: 'bigint',
      stream_id: 'text',
      revision: 'bigint',
      event_id: 'uuid',
      occurred_at: 'timestamp with time zone',
      recorded_at: 'timestamp with time zone',
      actor: 'text',
      schema_version: 'integer',
      part_id: 'uuid',
      retailer_id: 'uuid',
      price_cents: 'bigint',
      currency: 'text',
      in_stock: 'boolean',
      url: 'text',
      observed_at: 'timestamp with time zone',
      source: 'text',
    });
    expect(rows.map((row) => row.column_name)).toEqual([...EVENT_ENVELOPE_COLUMNS.filter((c) => c.name !== 'type').map((c) => c.name), ...eventDataColumns('PriceObserved').map((c) => c.name)]);
  });

  it.each(DOMAIN_EVENT_TYPES.map((type) => [type]))('returns every %s event of the log with its values typed', async (type) => {
    const events = (await db.knex('events').where({ type }).orderBy('position').select<EventRow[]>('*')).map((row) => ({ ...row, position: Number(row.position), revision: Number(row.revision) }));
    const viewRows = await db.knex.raw<{ rows: Record<string, unknown>[] }>(`SELECT * FROM analytics.${eventTableName(type)} ORDER BY position`);
    expect(viewRows.rows).toHaveLength(counts.get(type) ?? 0);
    expect(viewRows.rows).toEqual(events.map(expectedRow));
  });

  it('keeps the recorded time to the microsecond', async () => {
    const { rows } = await db.knex.raw<{ rows: { same: boolean; sub_ms: boolean }[] }>(
      `SELECT bool_and(v.recorded_at = e.created_at) AS same, bool_or(extract(microseconds FROM v.recorded_at)::bigint % 1000 <> 0) AS sub_ms
         FROM analytics.price_observed v JOIN events e USING (position)`,
    );
    expect(rows[0]).toEqual({ same: true, sub_ms: true });
  });

  it('re-creates only views whose generated SQL changed, and leaves the rest alone', async () => {
    expect(await refreshAnalyticsViews(db.knex)).toEqual({ created: [], dropped: [] });
    await db.knex.raw("COMMENT ON VIEW analytics.price_observed IS 'generated from the event schemas by migrations/src/0015b-analytics-views.ts; sha256:stale'");
    await db.knex.raw('CREATE VIEW analytics.bike_stolen AS SELECT 1 AS x');
    await db.knex.raw("COMMENT ON VIEW analytics.bike_stolen IS 'generated from the event schemas by migrations/src/0015b-analytics-views.ts; sha256:old'");
    await db.knex.raw('CREATE VIEW analytics.an_analysts_own AS SELECT 1 AS x');
    await migrateToLatest(db.knex);
    expect(await refreshAnalyticsViews(db.knex)).toEqual({ created: [], dropped: [] });
    const { rows } = await db.knex.raw<{ rows: { name: string }[] }>("SELECT table_name AS name FROM information_schema.views WHERE table_schema = 'analytics'");
    expect(rows.map((row) => row.name)).toContain('an_analysts_own');
    expect(rows.map((row) => row.name)).not.toContain('bike_stolen');
  });
});
