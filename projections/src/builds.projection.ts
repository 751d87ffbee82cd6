import type { Knex } from 'knex';
import { defineProjection, qualify } from '@mpp/projection-runner';
import { USER_ERASED, UserErasedData, readableBuildName, readableBuildParts } from '@mpp/domain';
import { openedOne } from './personal-text.js';
import { dataOf, occurredAt } from './recorded-event.js';

const BUILDS = 'builds';
const BUILD_PARTS = 'build_parts';

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
      const build = dataOf(await openedOne(ctx, event), 'BuildCreated');
      await ctx
        .table(BUILDS)
        .insert({
          id: build.buildId,
          owner_id: build.ownerId,
          name: readableBuildName(build.name),
          bike_id: build.bikeId,
          visibility: build.visibility,
          revision: 1,
          created_at: occurredAt(event),
          updated_at: occurredAt(event),
          deleted: false,
        })
        .onConflict('id')
        .ignore();
    },

    BuildUpdated: async (event, ctx) => {
      const build = dataOf(await openedOne(ctx, event), 'BuildUpdated');
      const updated = await ctx.table(BUILDS).where({ id: build.buildId }).update({
        name: readableBuildName(build.name),
        bike_id: build.bikeId,
        visibility: build.visibility,
        revision: build.revision,
        updated_at: occurredAt(event),
      });
      if (updated === 0) throw new Error(`BuildUpdated for build ${build.buildId}, which was never created`);
      // The event is a snapshot: the list it carries replaces the stored one, order included.
      await ctx.table(BUILD_PARTS).where({ build_id: build.buildId }).delete();
      const parts = readableBuildParts(build.parts);
      if (parts.length > 0) {
        await ctx.table(BUILD_PARTS).insert(
          parts.map((part, index) => ({
            build_id: build.buildId,
            part_id: part.partId,
            quantity: part.quantity,
            note: part.note ?? null,
            position: index,
          })),
        );
      }
    },

    BuildDeleted: async (event, ctx) => {
      const { buildId } = dataOf(event, 'BuildDeleted');
      // Build revision = stream revision + 1 (docs/domain.md), so the delete has one too.
      await ctx
        .table(BUILDS)
        .where({ id: buildId })
        .update({ deleted: true, deleted_at: occurredAt(event), updated_at: occurredAt(event), revision: Number(event.revision) + 1 });
      await ctx.table(BUILD_PARTS).where({ build_id: buildId }).delete();
    },

    /**
     * The erasure deletes each build first (BuildDeleted), which keeps a tombstone with the name;
     * an erased owner's builds leave no row at all, so a link to one answers "never existed".
     */
    [USER_ERASED]: async (event, ctx) => {
      const { userId } = UserErasedData.parse(event.data);
      const owned = ctx.table(BUILDS).where({ owner_id: userId }).select('id');
      await ctx.table(BUILD_PARTS).whereIn('build_id', owned).delete();
      await ctx.table(BUILDS).where({ owner_id: userId }).delete();
    },
  },
});

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
