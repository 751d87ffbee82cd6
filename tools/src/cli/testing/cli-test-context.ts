import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import type { EventStore } from '@mpp/event-store';
import type { ProjectionDefinition } from '@mpp/projection-runner';
import { ALL_PROJECTIONS } from '@mpp/projections';
import type { CliConnection, CliIo } from '../cli.js';
import type { CliContext, CliOutput } from '../cli-context.js';

export interface CapturedOutput extends CliOutput {
  text(): string;
  lines(): string[];
}

/** A stdout/stderr stand-in that keeps what was written; a terminal (progress bars drawn) only when asked. */
export function captureOutput(terminal = false): CapturedOutput {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, {
    isTTY: terminal,
    text: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter((line) => line !== ''),
  });
}

export interface CliUnderTest {
  context: CliContext;
  out: CapturedOutput;
  err: CapturedOutput;
}

/** A command context on a test database (the harness's), with captured output. */
export function cliContextFor(
  source: { knex: Knex; store: EventStore },
  options: { projections?: readonly ProjectionDefinition[]; signal?: AbortSignal; terminal?: boolean } = {},
): CliUnderTest {
  const out = captureOutput();
  const err = captureOutput(options.terminal);
  return {
    out,
    err,
    context: {
      knex: source.knex,
      store: source.store,
      eventStoreKind: 'postgres',
      projections: options.projections ?? ALL_PROJECTIONS,
      out,
      err,
      signal: options.signal ?? new AbortController().signal,
    },
  };
}

/** runCli's I/O on a test database; the harness owns the connections, so closing is a no-op. */
export function cliIoFor(source: { knex: Knex; store: EventStore }): CliIo & { out: CapturedOutput; err: CapturedOutput; connections: () => number } {
  const { context, out, err } = cliContextFor(source);
  let connections = 0;
  return {
    out,
    err,
    signal: context.signal,
    projections: context.projections,
    connections: () => connections,
    async connect(): Promise<CliConnection> {
      connections += 1;
      return { knex: source.knex, store: source.store, eventStoreKind: 'postgres', close: async () => {} };
    },
  };
}

/** Every row of a table or view, in a stable order, as JSON: what "the same rows" means in these tests. */
export async function rowsOf(knex: Knex, qualifiedTable: string): Promise<unknown[]> {
  const result = await knex.raw<{ rows: { row: unknown }[] }>(`SELECT to_jsonb(t) AS row FROM ${qualifiedTable} t ORDER BY to_jsonb(t)::text`);
  return result.rows.map((r) => r.row);
}
