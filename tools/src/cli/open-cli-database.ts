import { connect } from 'node:net';
import type { AppConfig } from '@mpp/config';
import { openDatabase, type DatabaseHandle } from '../dev/embedded-database.js';

/** The embedded server's port is taken, most likely by the PostgreSQL of a running `npm start`. */
export class EmbeddedDatabaseBusy extends Error {
  constructor(port: number) {
    super(
      [
        `Port ${port} is in use, most likely by the embedded PostgreSQL of a running \`npm start\`;`,
        'its data directory (.data/postgres) can be opened by one process at a time.',
        'Point mpp at that server instead, for example:',
        `  DATABASE_URL=postgres://postgres:postgres@127.0.0.1:${port}/motopartpicker npm run mpp -- projections list`,
        '(or stop npm start, or set EMBEDDED_PG_PORT if something else holds the port).',
      ].join('\n'),
    );
    this.name = 'EmbeddedDatabaseBusy';
  }
}

/**
 * DATABASE_URL when set; else the embedded PostgreSQL under .data/, which only one process can run:
 * checked up front so the user gets the way out instead of PostgreSQL's bind error.
 */
export async function openCliDatabase(config: AppConfig, log: (line: string) => void): Promise<DatabaseHandle> {
  if (config.DATABASE_URL) return openDatabase(config, log);
  const port = config.EMBEDDED_PG_PORT;
  if (await isListening(port)) throw new EmbeddedDatabaseBusy(port);
  try {
    return await openDatabase(config, log);
  } catch (error) {
    // Lost a race for the port with a server starting at the same moment.
    if (await isListening(port)) throw new EmbeddedDatabaseBusy(port);
    throw error;
  }
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
