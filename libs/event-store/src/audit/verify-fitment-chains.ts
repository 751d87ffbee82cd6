import type { Knex } from 'knex';
import { verifyChain, type ChainBreak } from '@mpp/domain';
import { StreamNotFound } from '../errors.js';
import type { EventStore } from '../event-store.port.js';
import { fitmentStreamsInEventsTable, fitmentStreamsInLog, type FitmentStreamSource } from './fitment-streams.js';

export interface BrokenLink {
  stream: string;
  revision: number;
  eventId: string;
  reason: ChainBreak;
}

export interface ChainsReport {
  streams: number;
  events: number;
  /** The first broken link of each broken stream. */
  broken: BrokenLink[];
}

export interface ChainsSource {
  store: EventStore;
  /** The PostgreSQL store's database: its `events` table lists the fitment streams directly. */
  knex?: Knex;
  /** One fitment stream; omitted: every fitment stream in the store. */
  stream?: string;
}

/**
 * Re-verifies the hash chain of fitment streams from the event store itself (not from the
 * verification_log read model, which a tampered log would have fed). A named stream without
 * events throws the store's StreamNotFound.
 */
export async function verifyFitmentChains(
  source: ChainsSource,
  run: { signal?: AbortSignal; onStart?(total: number | undefined): void; onStream?(report: ChainsReport, total: number | undefined): void } = {},
): Promise<ChainsReport> {
  const report: ChainsReport = { streams: 0, events: 0, broken: [] };
  const streams = fitmentStreamsOf(source);
  const total = await streams.count();
  run.onStart?.(total);
  const verify = async (batch: string[]) => {
    // A pair's stream holds its verifications and official fitment, small enough to hold; a batch
    // of them is one read (one query on PostgreSQL) instead of one per stream.
    const read = await source.store.readStreams(batch);
    for (const stream of batch) {
      if (run.signal?.aborted) return;
      const events = read.get(stream)!;
      if (events.length === 0) throw new StreamNotFound(stream);
      const verification = verifyChain(events);
      report.streams += 1;
      report.events += events.length;
      if (!verification.valid) report.broken.push({ stream, ...verification.brokenAt });
      run.onStream?.(report, total);
    }
  };
  let batch: string[] = [];
  for await (const stream of streams.streams()) {
    if (run.signal?.aborted) return report;
    batch.push(stream);
    if (batch.length < STREAMS_PER_READ) continue;
    await verify(batch);
    batch = [];
  }
  if (batch.length > 0 && !run.signal?.aborted) await verify(batch);
  return report;
}

const STREAMS_PER_READ = 100;

function fitmentStreamsOf({ store, knex, stream }: ChainsSource): FitmentStreamSource {
  if (stream !== undefined) return { count: async () => 1, streams: async function* () { yield stream; } };
  return knex ? fitmentStreamsInEventsTable(knex) : fitmentStreamsInLog(store);
}
