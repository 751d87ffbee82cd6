import { createRequire } from 'node:module';
import { withArrayLiterals } from './array-literal.js';

interface QueryObject {
  sql: string;
  bindings?: unknown[];
}

interface PostgresClient {
  _query(connection: unknown, query: QueryObject): Promise<unknown>;
}

// knex's PostgreSQL client has no typed entry point; the factory's `client` option takes the class.
const require = createRequire(import.meta.url);
const KnexPostgresClient = require('knex/lib/dialects/postgres/index.js') as new (config: unknown) => PostgresClient;

/**
 * knex's `pg` client, sending array parameters as PostgreSQL array literals built in one pass
 * (array-literal.ts) instead of node-postgres's element-by-element conversion.
 */
export class ArrayLiteralPostgresClient extends KnexPostgresClient {
  override _query(connection: unknown, query: QueryObject): Promise<unknown> {
    if (query.bindings?.some(Array.isArray)) query.bindings = withArrayLiterals(query.bindings);
    return super._query(connection, query);
  }
}
