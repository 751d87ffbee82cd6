import { once } from 'node:events';

/**
 * Writes one JSON document per line and waits when the consumer is slower than the log (a pipe to
 * gzip, a slow disk), so an export of millions of events holds one page in memory, not all of them.
 */
export async function writeNdjsonLine(out: NodeJS.WritableStream, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
}
