import type { Knex } from 'knex';
import type { RecordedEvent } from '@mpp/event-store';
import { defineProjection, qualify, type ProjectionContext } from '@mpp/projection-runner';
import { USER_ERASED, UserErasedData } from '@mpp/domain';
import { openedEvent, openedOne, readKeysFor } from '../shared/personal-text.js';
import { buildIdsOf, createdRow, deletedFields, foldBuilds, partRowsOf, updatedFields, type BuildPartRow, type BuildRow } from './builds-fold.js';
import { insertUnnest, type UnnestColumns } from '../shared/unnest-insert.js';
import { dataOf } from '../shared/recorded-event.js';
import { BUILD_PARTS, BUILDS } from './builds.tables.js';

/**
 * Builds and their parts lists, as the owner last saved them. Warnings and the total price are not
 * stored: they depend on compatibility and prices that change without the build changing, so the
 * query computes them (`buildWarnings`, `buildTotalPrice`) from these rows.
 *
 * A deleted build keeps its row (`deleted`, `deleted_at`, the revision of the delete) so an old
 * link answers "gone" rather than "never existed", but its parts list is removed: nothing shows it.
 *
 * Policy `park`: every BuildUpdated carries the whole build, so the next save repairs a build
 * whose update was parked.
 *
 * Names and part notes are sealed under the owner's key (docs/domain.md "Sealed free text") and
 * opened here with the keys that exist when the event is projected: once the owner is erased a
 * rebuild writes UNREADABLE_BUILD_NAME and no notes, and UserErased removes the rows anyway.
 */
export const buildsProjection = defineProjection({
  name: 'builds',
  version: 1,
  tables: [BUILDS, BUILD_PARTS],
  onPoisonEvent: 'park',
  createTables,
  handlers: {
    BuildCreated: async (event, ctx) => {
      await ctx.table(BUILDS).insert(createdRow(await openedOne(ctx, event))).onConflict('id').ignore();
    },

    BuildUpdated: async (sealed, ctx) => {
      const event = await openedOne(ctx, sealed);
      const { buildId } = dataOf(event, 'BuildUpdated');
      const updated = await ctx.table(BUILDS).where({ id: buildId }).update(updatedFields(event));
      if (updated === 0) throw new Error(`BuildUpdated for build ${buildId}, which was never created`);
      // The event is a snapshot: the list it carries replaces the stored one, order included.
      await ctx.table(BUILD_PARTS).where({ build_id: buildId }).delete();
      const parts = partRowsOf(event);
      if (parts.length > 0) await ctx.table(BUILD_PARTS).insert(parts);
    },

    BuildDeleted: async (event, ctx) => {
      const { buildId } = dataOf(event, 'BuildDeleted');
      await ctx.table(BUILDS).where({ id: buildId }).update(deletedFields(event));
      await ctx.table(BUILD_PARTS).where({ build_id: buildId }).delete();
    },

    /**
     * The erasure deletes each build first (BuildDeleted), which keeps a tombstone with the name;
     * an erased owner's builds leave no row at all, so a link to one answers "never existed".
     */
    [USER_ERASED]: (event, ctx) => eraseOwner(event, ctx),
  },
  // Far behind the head: each run of build events between erasures folded in memory, then one upsert of the builds and one rewrite of the lists.
  bulk: { applyBatch: applyBuildsPage },
});

/**
 * The handlers above for a page of events: an erasure runs as its handler does (it deletes by owner,
 * which only the table knows); each run of build events between erasures reads its builds' rows
 * once, is folded in memory, and is written with one upsert, one delete and one insert of parts lists.
 */
async function applyBuildsPage(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
  let run: RecordedEvent[] = [];
  for (const event of events) {
    if (event.type !== USER_ERASED) {
      run.push(event);
      continue;
    }
    await applyBuildRun(run, ctx);
    run = [];
    await eraseOwner(event, ctx);
  }
  await applyBuildRun(run, ctx);
}

async function applyBuildRun(sealed: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
  if (sealed.length === 0) return;
  const keys = await readKeysFor(ctx, sealed);
  const events = sealed.map((event) => openedEvent(event, keys));
  const held = await ctx.table(BUILDS).whereIn('id', buildIdsOf(events)).select<HeldBuildRow[]>('*');
  const { builds, parts } = foldBuilds(events, new Map(held.map((row) => [row.id.toLowerCase(), asBuildRow(row)])));
  // A row there (a retry's, or one the run changed) takes the run's values; created_at and owner never change.
  await insertUnnest(
    ctx,
    BUILDS,
    builds,
    BUILD_COLUMNS,
    `ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, bike_id = EXCLUDED.bike_id, visibility = EXCLUDED.visibility, revision = EXCLUDED.revision,
       updated_at = EXCLUDED.updated_at, deleted = EXCLUDED.deleted, deleted_at = EXCLUDED.deleted_at`,
  );
  if (parts.size === 0) return;
  await ctx.trx.raw(`DELETE FROM ${ctx.qualified(BUILD_PARTS)} WHERE build_id = ANY(?::uuid[])`, [[...parts.keys()]]);
  await insertUnnest(ctx, BUILD_PARTS, [...parts.values()].flat(), BUILD_PART_COLUMNS);
}

const BUILD_COLUMNS = {
  id: 'uuid',
  owner_id: 'text',
  name: 'text',
  bike_id: 'uuid',
  visibility: 'text',
  revision: 'integer',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  deleted: 'boolean',
  deleted_at: 'timestamptz',
} as const satisfies UnnestColumns<BuildRow>;
const BUILD_PART_COLUMNS = { build_id: 'uuid', part_id: 'uuid', quantity: 'integer', note: 'text', position: 'integer' } as const satisfies UnnestColumns<BuildPartRow>;
type HeldBuildRow = Omit<BuildRow, 'created_at' | 'updated_at' | 'deleted_at'> & { created_at: Date; updated_at: Date; deleted_at: Date | null };

function asBuildRow(row: HeldBuildRow): BuildRow {
  return { ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString(), deleted_at: row.deleted_at?.toISOString() ?? null };
}

async function eraseOwner(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
  const { userId } = UserErasedData.parse(event.data);
  const owned = ctx.table(BUILDS).where({ owner_id: userId }).select('id');
  await ctx.table(BUILD_PARTS).whereIn('build_id', owned).delete();
  await ctx.table(BUILDS).where({ owner_id: userId }).delete();
}

async function createTables(knex: Knex, schema: string): Promise<void> {
  await knex.schema.withSchema(schema).createTable(BUILDS, (t) => {
    t.uuid('id').primary();
    t.text('owner_id').notNullable();
    t.text('name').notNullable();
    t.uuid('bike_id').notNullable();
    t.text('visibility').notNullable();
    t.integer('revision').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.boolean('deleted').notNullable();
    t.timestamp('deleted_at', { useTz: true });
  });
  // GET /api/builds: the signed-in rider's builds, most recently changed first.
  await knex.raw(`CREATE INDEX builds_owner_updated ON ${qualify(schema, BUILDS)} (owner_id, updated_at DESC) WHERE NOT deleted`);

  await knex.schema.withSchema(schema).createTable(BUILD_PARTS, (t) => {
    t.uuid('build_id').notNullable();
    t.uuid('part_id').notNullable();
    t.integer('quantity').notNullable();
    t.text('note');
    t.integer('position').notNullable();
    // GET /api/builds/:id reads the list by the key's prefix; the domain forbids listing a part twice.
    t.primary(['build_id', 'part_id']);
    t.unique(['build_id', 'position'], { indexName: 'build_parts_build_position' });
  });
}
