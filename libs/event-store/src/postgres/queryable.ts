import type pg from 'pg';

/** A pool for single statements, a client inside a transaction, or a connection of its own: the statements work on any. */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;
