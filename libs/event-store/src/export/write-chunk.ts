import { once } from 'node:events';

/**
 * Writes and waits when the consumer is slower than the log (a pipe to gzip, a slow disk), so an
 * export of millions of events holds one page in memory, not all of them.
 */
export async function writeChunk(out: NodeJS.WritableStream, chunk: string | Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
