import type { Knex } from 'knex';
import type { EventStore } from '@mpp/event-store';
import type { ProjectionDefinition } from '@mpp/projection-runner';

/** Where a command writes: stdout for results (tables, JSON, NDJSON), stderr for progress and notes. */
export interface CliOutput extends NodeJS.WritableStream {
  /** Progress bars are drawn only on a terminal, so redirected output stays clean. */
  readonly isTTY?: boolean;
}

/** Everything a command needs, injected so tests call commands directly on a test database. */
export interface CliContext {
  knex: Knex;
  store: EventStore;
  /**
   * `postgres`: the `events` table lives in `knex`'s database, so questions the port cannot answer
   * cheaply (which fitment streams exist) may be asked in SQL. `eventstoredb`: only the port.
   */
  eventStoreKind: 'postgres' | 'eventstoredb';
  projections: readonly ProjectionDefinition[];
  out: CliOutput;
  err: CliOutput;
  /** Aborted on Ctrl-C: long runs stop at a batch boundary and say where they stopped. */
  signal: AbortSignal;
}

/** Exit codes of `mpp`: 0 done, 1 the command found a problem or failed, 2 bad usage, 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A mistake in the command line; reported with the command's usage, exit code 2, before connecting. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
