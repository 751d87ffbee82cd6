import type { Knex } from 'knex';
import { verifyChain, type ChainVerification } from '@mpp/domain';

/** How often each verification id was recorded as VerificationSubmitted, straight from the event log. */
export async function submittedVerificationCounts(knex: Knex): Promise<Map<string, number>> {
  const rows: { id: string; n: number | string }[] = await knex('events')
    .where({ type: 'VerificationSubmitted' })
    .groupByRaw("data->>'verificationId'")
    .select(knex.raw("data->>'verificationId' AS id"), knex.raw('count(*) AS n'));
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** The hash chain of every fitment stream, recomputed from the stored rows. */
export async function fitmentChains(knex: Knex): Promise<Map<string, ChainVerification>> {
  const rows: { stream_id: string; revision: number; event_id: string; type: string; data: unknown; metadata: { prevHash?: unknown; hash?: unknown } }[] = await knex('events')
    .where('stream_id', 'like', 'fitment-%')
    .orderBy(['stream_id', 'revision'])
    .select('stream_id', 'revision', 'event_id', 'type', 'data', 'metadata');
  const byStream = new Map<string, typeof rows>();
  for (const row of rows) byStream.set(row.stream_id, [...(byStream.get(row.stream_id) ?? []), row]);
  return new Map(
    [...byStream].map(([stream, events]) => [
      stream,
      verifyChain(events.map((e) => ({ revision: e.revision, eventId: e.event_id, type: e.type, data: e.data, metadata: e.metadata }))),
    ]),
  );
}
