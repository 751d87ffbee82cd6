import type pg from 'pg';

/** A pool for single statements or a client inside a transaction: the statements work on either. */
export type Queryable = pg.Pool | pg.PoolClient;
