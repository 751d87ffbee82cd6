import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { DOMAIN_EVENT_TYPES, EVENT_ENVELOPE_COLUMNS, eventDataColumns, eventTableName, type DomainEventType, type EventColumnKind } from '@mpp/domain';

/** The schema of the SQL layer over the log (DESIGN §10): one view per event type, read-only for analysts. */
export const ANALYTICS_SCHEMA = 'analytics';

/** Marks the views this module generated (and may replace or drop); followed by the hash of their SQL. */
const GENERATED_MARK = 'generated from the event schemas by migrations/src/0015b-analytics-views.ts; sha256:';

const ENVELOPE_SQL: Record<string, string> = {
  position: 'e.position',
  stream_id: 'e.stream_id',
  revision: 'e.revision',
  event_id: 'e.event_id',
  occurred_at: "(e.metadata->>'occurredAt')::timestamptz",
  recorded_at: 'e.created_at',
  actor: "e.metadata->>'actor'",
  schema_version: "(e.metadata->>'schemaVersion')::integer",
};

const CAST: Record<Exclude<EventColumnKind, 'text' | 'json'>, string> = {
  uuid: 'uuid',
  integer: 'integer',
  bigint: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  timestamptz: 'timestamptz',
};

function dataSql(field: string, kind: EventColumnKind): string {
  const literal = `'${field.replaceAll("'", "''")}'`;
  if (kind === 'json') return `e.data->${literal}`;
  if (kind === 'text') return `e.data->>${literal}`;
  return `(e.data->>${literal})::${CAST[kind]}`;
}

/**
 * The SELECT of one event type's view: the envelope (the `type` column is the view itself), then its
 * data members typed from its schema. Stored events are never rewritten, so events of an older
 * schema version are shown through the same columns; see docs/analysts.md on upcasters.
 */
export function analyticsViewSelect(type: DomainEventType): string {
  const envelope = EVENT_ENVELOPE_COLUMNS.filter((column) => column.name !== 'type').map((column) => `${ENVELOPE_SQL[column.name]} AS ${column.name}`);
  const data = eventDataColumns(type).map((column) => `${dataSql(column.field, column.kind)} AS ${column.name}`);
  return `SELECT ${[...envelope, ...data].join(',\n       ')}\n  FROM public.events e\n WHERE e.type = '${type}'`;
}

/**
 * Brings `analytics` in line with the event schemas of this build: creates the schema, (re)creates
 * each view whose generated SQL changed (its hash is kept in the view's comment, so an unchanged view
 * is left alone and the analysts' queries on it are not disturbed), and drops generated views of
 * event types that no longer exist. Called by migration 0015 and after every `migrateToLatest`, so
 * a new event field reaches SQL without a migration of its own. Grants survive a re-creation through
 * the default privileges `mpp analysts grant` sets.
 */
export async function refreshAnalyticsViews(knex: Knex): Promise<{ created: string[]; dropped: string[] }> {
  return knex.transaction(async (trx) => {
    await trx.raw(`CREATE SCHEMA IF NOT EXISTS ${ANALYTICS_SCHEMA}`);
    const existing = await trx.raw<{ rows: { name: string; comment: string | null }[] }>(
      `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relkind = 'v'`,
      [ANALYTICS_SCHEMA],
    );
    const comments = new Map(existing.rows.map((row) => [row.name, row.comment ?? '']));
    const created: string[] = [];
    for (const type of DOMAIN_EVENT_TYPES) {
      const name = eventTableName(type);
      const select = analyticsViewSelect(type);
      const comment = `${type} events, one row each; ${GENERATED_MARK}${createHash('sha256').update(select).digest('hex')}`;
      if (comments.get(name) === comment) continue;
      await trx.raw(`DROP VIEW IF EXISTS ${ANALYTICS_SCHEMA}.${name}`);
      await trx.raw(`CREATE VIEW ${ANALYTICS_SCHEMA}.${name} AS\n${select}`);
      await trx.raw(`COMMENT ON VIEW ${ANALYTICS_SCHEMA}.${name} IS '${comment.replaceAll("'", "''")}'`);
      created.push(name);
    }
    const current = new Set(DOMAIN_EVENT_TYPES.map(eventTableName));
    const dropped = [...comments].filter(([name, comment]) => !current.has(name) && comment.includes(GENERATED_MARK)).map(([name]) => name);
    for (const name of dropped) await trx.raw(`DROP VIEW ${ANALYTICS_SCHEMA}.${name}`);
    return { created, dropped };
  });
}
