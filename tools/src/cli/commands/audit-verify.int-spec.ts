import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fitmentStream } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import {
  bikeRegistered,
  fitmentPublished,
  partCataloged,
  verificationModerated,
  verificationSubmitted,
  startProjectionHarness,
  type ProjectionHarness,
} from '@mpp/projections/testing';
import { cliContextFor } from '../testing/cli-test-context.js';
import { auditVerify, type AuditReport } from './audit-verify.js';

describe('mpp audit verify', () => {
  let harness: ProjectionHarness;
  const part = partCataloged();
  const bikes = [bikeRegistered(), bikeRegistered(), bikeRegistered()];
  const pairs = bikes.map((bike) => ({ partId: part.data.partId, bikeId: bike.data.bikeId }));
  const streams = pairs.map((pair) => fitmentStream(pair.partId, pair.bikeId));
  const confirmation = verificationSubmitted(pairs[0], { userId: 'rider-1', fits: true });

  beforeAll(async () => {
    harness = await startProjectionHarness([]);
    await harness.given(
      part,
      ...bikes,
      fitmentPublished(pairs[0]),
      confirmation,
      verificationSubmitted(pairs[0], { userId: 'rider-2', fits: false }),
      verificationModerated(pairs[0], confirmation.data.verificationId, 'hidden'),
      verificationSubmitted(pairs[1], { userId: 'rider-1', fits: true }),
      verificationSubmitted(pairs[1], { userId: 'rider-3', fits: true }),
      fitmentPublished(pairs[2]),
    );
  });
  afterAll(() => harness?.close());

  async function audit(stream?: string) {
    const { context, out } = cliContextFor(harness);
    const code = await auditVerify(context, { stream, json: true });
    return { code, report: JSON.parse(out.text()) as AuditReport };
  }

  it('passes on an untampered log, having read every fitment stream', async () => {
    const { context, out } = cliContextFor(harness);
    expect(await auditVerify(context, { json: false })).toBe(0);
    expect(out.text()).toBe('verified 3 fitment streams (7 events): every hash chain is intact\n');
  });

  it('finds an event whose data was changed in the events table, and exits 1', async () => {
    const [tampered] = await harness.knex('events').where({ stream_id: streams[0], revision: 2 }).select('event_id');
    await asSuperuserBypassingTriggers(harness.knex, (trx) => trx.raw(`UPDATE events SET data = jsonb_set(data, '{fits}', 'true') WHERE event_id = ?`, [tampered.event_id]));

    const { code, report } = await audit();
    expect(code).toBe(1);
    expect(report).toEqual({ streams: 3, events: 7, broken: [{ stream: streams[0], revision: 2, eventId: tampered.event_id, reason: 'hash_mismatch' }] });

    const { context, out } = cliContextFor(harness);
    expect(await auditVerify(context, { json: false })).toBe(1);
    expect(out.text()).toMatch(new RegExp(`${streams[0]}\\s+2\\s+${tampered.event_id}\\s+hash_mismatch`));
  });

  it('finds an event deleted from the middle of a chain', async () => {
    await asSuperuserBypassingTriggers(harness.knex, (trx) => trx('events').where({ stream_id: streams[1], revision: 0 }).delete());
    const { code, report } = await audit();
    expect(code).toBe(1);
    expect(report.broken.map((b) => [b.stream, b.revision, b.reason])).toEqual(
      expect.arrayContaining([[streams[0], 2, 'hash_mismatch'], [streams[1], 1, 'revision_gap']]),
    );
  });

  it('verifies one stream with --stream', async () => {
    expect(await audit(streams[2])).toEqual({ code: 0, report: { streams: 1, events: 1, broken: [] } });
    expect((await audit(streams[0])).code).toBe(1);
  });
});

/** The log refuses UPDATE and DELETE (migration 0011b); a superuser can switch triggers off, so the audit must still catch it. */
async function asSuperuserBypassingTriggers(knex: Knex, change: (trx: Knex.Transaction) => Promise<unknown>): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    await change(trx);
  });
}
