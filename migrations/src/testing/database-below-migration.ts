import { afterEach, beforeEach } from '@jest/globals';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { migrationSource } from '../index.js';

/** The database of the test running now, taken back to just before one migration. */
export interface DatabaseBelowMigration {
  readonly knex: Knex;
}

/**
 * A fresh database for each test of a migration: migrated to the latest, then that migration taken
 * down, so the test can write what the schema held before it and run `up` and `down` itself.
 */
export function databaseBelowMigration(migration: string): DatabaseBelowMigration {
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    current = await createTestDatabase();
    await current.knex.migrate.down({ migrationSource, name: migration });
  });
  afterEach(async () => {
    await current?.drop();
    current = undefined;
  });
  return {
    get knex() {
      if (!current) throw new Error(`the database below ${migration} exists only while a test runs`);
      return current.knex;
    },
  };
}
