import type { Knex } from 'knex';

/**
 * A generation catching up far behind the head may write in bulk mode, leaving derived rows to one
 * pass at the end (docs/projections.md, "Bulk mode"). The flag commits with the checkpoint, so a
 * process that dies mid-catch-up resumes knowing that pass is still owed, and read-your-writes does
 * not count a generation whose derived rows lag its position as having reached it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE projection_checkpoints ADD COLUMN bulk_pending boolean NOT NULL DEFAULT false');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE projection_checkpoints DROP COLUMN bulk_pending');
}
