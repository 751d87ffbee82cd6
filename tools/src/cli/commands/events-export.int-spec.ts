import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fitmentStream } from '@mpp/domain';
import {
  bikeRegistered,
  fitmentPublished,
  partCataloged,
  priceObserved,
  retailerRegistered,
  verificationSubmitted,
  startProjectionHarness,
  type ProjectionHarness,
} from '@mpp/projections/testing';
import { runCli } from '../cli.js';
import { cliContextFor, cliIoFor } from '../testing/cli-test-context.js';
import { exportEvents, type ExportedEvent, type ExportOptions } from './events-export.js';

describe('mpp events export', () => {
  let harness: ProjectionHarness;
  let firstBatchEnd: bigint;
  let firstBatchCommittedAt: Date;
  const bike = bikeRegistered();
  const part = partCataloged();
  const retailer = retailerRegistered();
  const pair = { partId: part.data.partId, bikeId: bike.data.bikeId };
  const otherBike = bikeRegistered({ make: 'BMW', model: 'R 1300 GS' });
  const otherPair = { partId: part.data.partId, bikeId: otherBike.data.bikeId };

  beforeAll(async () => {
    // No projections: the export reads the event store only.
    harness = await startProjectionHarness([]);
    firstBatchEnd = await harness.given(bike, otherBike, part, retailer, fitmentPublished(pair));
    for await (const event of harness.store.readAll({ fromPosition: firstBatchEnd - 1n })) firstBatchCommittedAt = event.createdAt;
    // Commit times have microseconds and JS dates milliseconds: the next commit goes in a later millisecond.
    await harness.storeClockPast(firstBatchCommittedAt);
    await harness.given(
      verificationSubmitted(pair, { userId: 'rider-1', fits: true }),
      verificationSubmitted(otherPair, { userId: 'rider-2', fits: false }),
      priceObserved(part.data.partId, retailer.data.retailerId, { priceCents: 12_900, observedAt: '2025-03-01T08:00:00.000Z' }),
      verificationSubmitted(pair, { userId: 'rider-3', fits: true }),
    );
  });
  afterAll(() => harness?.close());

  async function exported(options: Partial<ExportOptions>): Promise<ExportedEvent[]> {
    const { context, out } = cliContextFor(harness);
    expect(await exportEvents(context, { types: [], ...options })).toBe(0);
    return out.lines().map((line) => JSON.parse(line) as ExportedEvent);
  }

  it('writes every event as one JSON document per line, in global order, with bigints as strings', async () => {
    const { context, out, err } = cliContextFor(harness);
    expect(await exportEvents(context, { types: [] })).toBe(0);
    const text = out.text();
    expect(text.endsWith('\n')).toBe(true);
    const events = text.trimEnd().split('\n').map((line) => JSON.parse(line) as ExportedEvent);
    expect(events).toHaveLength(9);
    expect(events.map((e) => e.type)).toEqual([
      'BikeRegistered', 'BikeRegistered', 'PartCataloged', 'RetailerRegistered', 'FitmentPublished',
      'VerificationSubmitted', 'VerificationSubmitted', 'PriceObserved', 'VerificationSubmitted',
    ]);
    const positions = events.map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(events[0]).toEqual({
      position: expect.stringMatching(/^\d+$/),
      streamId: bike.stream,
      revision: '0',
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'BikeRegistered',
      data: bike.data,
      metadata: expect.objectContaining({ actor: 'system:test', occurredAt: expect.any(String) }),
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    expect(events[4].metadata).toEqual(expect.objectContaining({ hash: expect.any(String), prevHash: expect.any(String) }));
    expect(err.text()).toBe('exported 9 of 9 events read\n');
  });

  it('keeps only the given types', async () => {
    const events = await exported({ types: ['BikeRegistered', 'PriceObserved'] });
    expect(events.map((e) => e.type)).toEqual(['BikeRegistered', 'BikeRegistered', 'PriceObserved']);
  });

  it('reads one stream by itself, in revision order', async () => {
    const events = await exported({ stream: fitmentStream(pair.partId, pair.bikeId) });
    expect(events.map((e) => [e.type, e.revision])).toEqual([['FitmentPublished', '0'], ['VerificationSubmitted', '1'], ['VerificationSubmitted', '2']]);
  });

  it('keeps streams by prefix, combined with a type', async () => {
    const events = await exported({ streamPrefix: 'fitment-', types: ['VerificationSubmitted'] });
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.streamId))).toEqual(new Set([fitmentStream(pair.partId, pair.bikeId), fitmentStream(otherPair.partId, otherPair.bikeId)]));
  });

  it('cuts by positions, both ends inclusive, reading the log in small pages', async () => {
    const all = await exported({});
    const from = BigInt(all[2].position);
    const to = BigInt(all[6].position);
    const events = await exported({ fromPosition: from, toPosition: to, pageSize: 2 });
    expect(events).toEqual(all.slice(2, 7));
    expect(await exported({ pageSize: 2 })).toEqual(all);
  });

  it('cuts by commit time, both ends inclusive', async () => {
    const before = await exported({ to: firstBatchCommittedAt });
    expect(before.map((e) => BigInt(e.position))).toEqual(expect.arrayContaining([firstBatchEnd]));
    expect(before).toHaveLength(5);
    const after = await exported({ from: new Date(firstBatchCommittedAt.getTime() + 1) });
    expect(after.map((e) => e.type)).toEqual(['VerificationSubmitted', 'VerificationSubmitted', 'PriceObserved', 'VerificationSubmitted']);
  });

  it('fails on a stream that has no events', async () => {
    const { context, err } = cliContextFor(harness);
    expect(await exportEvents(context, { types: [], stream: 'bike-00000000-0000-0000-0000-000000000000' })).toBe(1);
    expect(err.text()).toContain('has no events');
  });

  it('parses its options from the command line', async () => {
    const io = cliIoFor(harness);
    const code = await runCli(['events', 'export', '--type', 'VerificationSubmitted', '--stream-prefix', 'fitment-', '--from-position', String(firstBatchEnd)], io);
    expect(code).toBe(0);
    expect(io.out.lines().map((line) => (JSON.parse(line) as ExportedEvent).type)).toEqual(['VerificationSubmitted', 'VerificationSubmitted', 'VerificationSubmitted']);
  });

  it('writes to a file with --output, leaving stdout empty', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'mpp-export-')), 'prices.ndjson');
    const { context, out } = cliContextFor(harness);
    expect(await exportEvents(context, { types: ['PriceObserved'], output: file })).toBe(0);
    expect(out.text()).toBe('');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as ExportedEvent);
    expect(lines.map((e) => e.type)).toEqual(['PriceObserved']);
  });
});
