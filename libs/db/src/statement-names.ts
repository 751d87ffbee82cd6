import { createHash } from 'node:crypto';

/**
 * Names for the statement texts a process sends again and again, so node-postgres prepares each one
 * once per connection (Parse) and then only binds and executes it. PostgreSQL then skips parsing it
 * again and, once a generic plan proves as cheap as the custom ones (plan_cache_mode auto), planning
 * it too: on the command path planning had cost as much server time as executing.
 *
 * A text is named on its second sighting, so one-off texts (an admin query, a list of varying length)
 * never become prepared statements; and at most `maxNamed` texts get a name, because each one is
 * kept by every connection that ran it until the connection closes. A name is the text's hash,
 * so every process and connection derives the same one and no two texts share it.
 */
export class StatementNames {
  private readonly named = new Map<string, string>();
  private readonly seenOnce = new Set<string>();
  private epoch = 0;

  constructor(
    private readonly maxNamed = 500,
    /** Texts seen once that are remembered; past it they are forgotten and start again. */
    private readonly maxSeenOnce = 10_000,
  ) {}

  /** The name to send the text under, or undefined: send it unnamed. */
  nameFor(text: string): string | undefined {
    const name = this.named.get(text);
    if (name !== undefined) return name;
    if (!this.seenOnce.has(text)) {
      if (this.seenOnce.size >= this.maxSeenOnce) this.seenOnce.clear();
      this.seenOnce.add(text);
      return undefined;
    }
    if (this.named.size >= this.maxNamed) return undefined;
    this.seenOnce.delete(text);
    const given = statementName(text, this.epoch);
    this.named.set(text, given);
    return given;
  }

  /**
   * Every text gets a new name from here on. For a prepared statement the server refuses to run
   * again ("cached plan must not change result type": a table it reads changed its columns under
   * a running process, e.g. a migration): new names make every connection prepare afresh, and
   * the old ones go with their connections.
   */
  renameAll(): void {
    this.epoch += 1;
    this.named.clear();
  }
}

/** A stable, short (≤ 63 bytes, PostgreSQL's identifier limit) name for a statement text. */
export function statementName(text: string, epoch = 0): string {
  return `s${epoch}_${createHash('sha1').update(text).digest('base64url')}`;
}

/** PostgreSQL's refusal to run a prepared statement whose result columns changed since it was prepared. */
export function isStalePreparedStatement(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type');
}
