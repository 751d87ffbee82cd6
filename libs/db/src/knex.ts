import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { KnexPostgresClient } from './knex-postgres-client.js';

// COUNT(*) and BIGINT columns (positions, revisions) arrive as strings by default. Every such value
// in this product stays far below 2^53, so plain numbers are exact and far easier to use; the event
// store adapter still converts positions to bigint itself where its port asks for it.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface KnexOptions {
  poolMax?: number;
  applicationName?: string;
  /**
   * A role every connection switches to (SET ROLE): the operator's CLI building read models as the
   * projector's role, so that what it creates belongs to that role (docs/reliability.md "Database roles").
   */
  actAs?: string;
  /**
   * Runs on each connection the pool opens, before its first query; must not query. The projector
   * lowers its backends' priority there (backendPriorityHook), as it does for its event store's.
   */
  onConnect?: (connection: pg.Client) => void;
}

export function createKnex(databaseUrl: string, options: KnexOptions = {}): Knex {
  return knexFactory({
    // knex's `pg` client, with array parameters written in one pass and repeated statements prepared (knex-postgres-client.ts).
    client: KnexPostgresClient as unknown as typeof knexFactory.Client,
    connection: { connectionString: databaseUrl, application_name: options.applicationName ?? 'motopartpicker' },
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      ...(options.actAs === undefined && options.onConnect === undefined
        ? {}
        : {
            afterCreate: (connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) => {
              prepareConnection(connection, options).then(
                () => done(null, connection),
                (error: Error) => done(error, connection),
              );
            },
          }),
    },
    acquireConnectionTimeout: 10_000,
  });
}

async function prepareConnection(connection: pg.Client, options: KnexOptions): Promise<void> {
  if (options.actAs !== undefined) await connection.query(`SET ROLE ${pg.escapeIdentifier(options.actAs)}`);
  options.onConnect?.(connection);
}
export type { Knex };
