import { createRequire } from 'node:module';
import { withArrayLiterals } from './array-literal.js';
import { StatementNames, isStalePreparedStatement } from './statement-names.js';

interface QueryObject {
  sql: string;
  bindings?: unknown[];
  options?: Record<string, unknown>;
}

interface PostgresClient {
  _query(connection: unknown, query: QueryObject): Promise<unknown>;
}

// knex's PostgreSQL client has no typed entry point; the factory's `client` option takes the class.
const require = createRequire(import.meta.url);
const BasePostgresClient = require('knex/lib/dialects/postgres/index.js') as new (config: unknown) => PostgresClient;

/** One per process: every knex instance (and pool) of it names the same texts alike. */
const names = new StatementNames();

/**
 * knex's `pg` client with two changes on the way to the driver: array parameters are sent as
 * PostgreSQL array literals built in one pass (array-literal.ts) instead of node-postgres's
 * element-by-element conversion, and a statement with parameters that the process sends again
 * goes as a named (prepared) statement (statement-names.ts). Statements without parameters stay
 * on the simple protocol, where a text may hold several statements (migrations, DDL). A statement
 * whose best plan depends on its parameters' values opts out with `.options({ prepare: false })`.
 */
export class KnexPostgresClient extends BasePostgresClient {
  override async _query(connection: unknown, query: QueryObject): Promise<unknown> {
    if (query.bindings?.some(Array.isArray)) query.bindings = withArrayLiterals(query.bindings);
    // `.options({ prepare: false })`: this statement is planned for its own parameters every time.
    // Our option, not the driver's: it is taken out before the query goes on.
    const { prepare, ...options } = query.options ?? {};
    query.options = options;
    const name = prepare !== false && query.bindings && query.bindings.length > 0 && query.options?.['name'] === undefined ? names.nameFor(query.sql) : undefined;
    if (name === undefined) return super._query(connection, query);
    // knex reads the answer from this same object (`response`), so it is changed, not copied.
    query.options = { ...query.options, name };
    try {
      return await super._query(connection, query);
    } catch (error) {
      if (isStalePreparedStatement(error)) names.renameAll();
      throw error;
    }
  }
}
