import pg from 'pg';

/** The database of DATABASE_URL cannot be reached or refuses us: one line that says which and why. */
export class DatabaseUnreachable extends Error {
  constructor(url: string, cause: unknown) {
    super(`cannot reach the database at ${redactedUrl(url)} (${reasonOf(cause)}); is PostgreSQL running there, and is DATABASE_URL right?`);
    this.name = 'DatabaseUnreachable';
  }
}

/**
 * One round trip before a command starts, so an unreachable database is reported as such, once,
 * instead of as whatever the command's first query (or the event store's retry loop) makes of it.
 */
export async function checkDatabaseReachable(url: string): Promise<void> {
  // A client of its own: a pool would log each failed attempt before the error reaches us.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new DatabaseUnreachable(url, error);
  } finally {
    await client.end().catch(() => {});
  }
}

export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable DATABASE_URL)';
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  '28P01': 'password authentication failed',
  '28000': 'authentication refused',
  '3D000': 'no such database',
};

function reasonOf(error: unknown): string {
  // Node reports a refused `localhost` (tried as ::1 and 127.0.0.1) as an AggregateError without a message.
  const first = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const code = (first as { code?: unknown } | null)?.code;
  const reason = typeof code === 'string' ? REASONS[code] : undefined;
  const message = first instanceof Error ? first.message : String(first);
  return reason ? `${reason}: ${message}` : message;
}
