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
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { runCli } from '../cli.js';
import { cliContextFor, cliIoFor } from '../testing/cli-test-context.js';
import { isoToMicros, type ExportedEvent } from '@mpp/event-store/export';
import { exportEvents, type ExportOptions } from './events-export.js';

describe('mpp events export', () => {
  let harness: ProjectionHarness;
  let firstBatchEnd: bigint;
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

  it('writes every event as one JSON document per line, in global order, positions as numbers', async () => {
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
      position: expect.any(Number),
      streamId: bike.stream,
      revision: 0,
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'BikeRegistered',
      data: bike.data,
      metadata: expect.objectContaining({ actor: 'system:test', occurredAt: expect.any(String) }),
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
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
    expect(events.map((e) => [e.type, e.revision])).toEqual([['FitmentPublished', 0], ['VerificationSubmitted', 1], ['VerificationSubmitted', 2]]);
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

  it('cuts by commit time to the microsecond, both ends inclusive', async () => {
    const committedAt = isoToMicros((await exported({})).find((e) => BigInt(e.position) === firstBatchEnd)!.createdAt);
    const before = await exported({ to: committedAt });
    expect(before.map((e) => BigInt(e.position))).toEqual(expect.arrayContaining([firstBatchEnd]));
    expect(before).toHaveLength(5);
    const after = await exported({ from: committedAt + 1n });
    expect(after.map((e) => e.type)).toEqual(['VerificationSubmitted', 'VerificationSubmitted', 'PriceObserved', 'VerificationSubmitted']);
  });

  it('prints commit times to the microsecond, as the events table has them', async () => {
    const events = await exported({});
    const { rows } = await harness.knex.raw<{ rows: { position: number; recorded_at: string }[] }>(
      `SELECT position::int AS position, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at FROM events ORDER BY position`,
    );
    expect(events.map((e) => [e.position, e.createdAt])).toEqual(rows.map((row) => [row.position, row.recorded_at]));
    expect(rows.some((row) => !row.recorded_at.endsWith('000Z'))).toBe(true);
  });

  it('fails on a stream that has no events, saying what stream names look like', async () => {
    const { context, err } = cliContextFor(harness);
    expect(await exportEvents(context, { types: [], stream: 'bike-00000000-0000-0000-0000-000000000000' })).toBe(1);
    expect(err.text()).toContain('has no events');
    expect(err.text()).toContain('kinds bike, part, retailer, fitment, price, build');
  });

  it.each([
    [['--type', 'VerificationSubmited'], /unknown event type "VerificationSubmited"; the event types are BikeRegistered, .*VerificationSubmitted/],
    [['--type', 'PriceObserved,Nope,Neither'], /unknown event types "Nope", "Neither"/],
    [['--stream', 'fitmnet-1_2'], /--stream "fitmnet-1_2" names no stream of ours; streams are bike-<id>, /],
    [['--stream-prefix', 'prices-'], /--stream-prefix "prices-" names no stream of ours/],
    [['--format', 'xlsx'], /--format must be one of ndjson, csv, parquet/],
  ])('refuses %j with exit code 2, naming the valid values, before reading anything', async (argv, message) => {
    const io = cliIoFor(harness);
    expect(await runCli(['events', 'export', ...argv], io)).toBe(2);
    expect(io.err.text()).toMatch(message);
    expect(io.connections()).toBe(0);
    expect(io.out.text()).toBe('');
  });

  it('ends its progress bar at 100% of the requested range, also when the range ends before the head', async () => {
    const all = await exported({});
    const { context, err } = cliContextFor(harness, { terminal: true });
    expect(await exportEvents(context, { types: ['BikeRegistered'], toPosition: BigInt(all[6]!.position) })).toBe(0);
    const frames = err.text().split(/\r|\n/).filter((frame) => frame.includes('%'));
    expect(frames.at(-1)).toMatch(/100% \| 7\/7 positions/);
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

  describe('--format parquet and csv', () => {
    async function exportedFile(options: Partial<ExportOptions>, name: string): Promise<Buffer> {
      const file = join(await mkdtemp(join(tmpdir(), 'mpp-export-')), name);
      const { context } = cliContextFor(harness);
      expect(await exportEvents(context, { types: [], output: file, ...options })).toBe(0);
      return readFile(file);
    }

    /** What a Parquet reader (hyparquet) makes of the file: its column types and rows, times as raw microseconds. */
    async function readParquet(bytes: Buffer): Promise<{ types: Record<string, unknown>; rows: Record<string, unknown>[] }> {
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const metadata = parquetMetadata(file);
      const types = Object.fromEntries(metadata.schema.slice(1).map((e) => [e.name, [e.type, e.logical_type?.type ?? e.converted_type ?? null, e.repetition_type]]));
      const rows = await parquetReadObjects({ file, parsers: { timestampFromMicroseconds: (micros: bigint) => micros } });
      return { types, rows };
    }

    async function eventsTable(type?: string): Promise<{ position: string; event_id: string; type: string; recorded_us: string; occurred_us: string }[]> {
      const { rows } = await harness.knex.raw(
        `SELECT position::text, event_id::text, type,
                (extract(epoch FROM created_at) * 1000000)::bigint::text AS recorded_us,
                (extract(epoch FROM (metadata->>'occurredAt')::timestamptz) * 1000000)::bigint::text AS occurred_us
           FROM events ${type ? 'WHERE type = ?' : ''} ORDER BY position`,
        type ? [type] : [],
      );
      return rows;
    }

    it('writes every event as a typed row that a Parquet reader reads back', async () => {
      const { types, rows } = await readParquet(await exportedFile({ format: 'parquet' }, 'events.parquet'));
      expect(types).toEqual({
        position: ['INT64', null, 'REQUIRED'],
        stream_id: ['BYTE_ARRAY', 'UTF8', 'REQUIRED'],
        revision: ['INT64', null, 'REQUIRED'],
        event_id: ['FIXED_LEN_BYTE_ARRAY', 'UUID', 'REQUIRED'],
        type: ['BYTE_ARRAY', 'UTF8', 'REQUIRED'],
        occurred_at: ['INT64', 'TIMESTAMP', 'REQUIRED'],
        recorded_at: ['INT64', 'TIMESTAMP', 'REQUIRED'],
        actor: ['BYTE_ARRAY', 'UTF8', 'REQUIRED'],
        schema_version: ['INT32', null, 'REQUIRED'],
        data: ['BYTE_ARRAY', 'JSON', 'REQUIRED'],
        metadata: ['BYTE_ARRAY', 'JSON', 'REQUIRED'],
      });
      const table = await eventsTable();
      expect(rows).toHaveLength(9);
      expect(rows.map((row) => [String(row.position), row.event_id, row.type, String(row.recorded_at), String(row.occurred_at)]))
        .toEqual(table.map((row) => [row.position, row.event_id, row.type, row.recorded_us, row.occurred_us]));
      expect(typeof rows[0]!.position).toBe('bigint');
      expect(rows[0]!.data).toEqual(bike.data);
    });

    it('writes the data members of one event type as typed columns, as its analytics view has them', async () => {
      const { types, rows } = await readParquet(await exportedFile({ format: 'parquet', types: ['PriceObserved'] }, 'prices.parquet'));
      expect(types).toMatchObject({
        part_id: ['FIXED_LEN_BYTE_ARRAY', 'UUID', 'REQUIRED'],
        price_cents: ['INT64', null, 'REQUIRED'],
        currency: ['BYTE_ARRAY', 'UTF8', 'REQUIRED'],
        in_stock: ['BOOLEAN', null, 'REQUIRED'],
        observed_at: ['INT64', 'TIMESTAMP', 'REQUIRED'],
      });
      expect(rows).toEqual([expect.objectContaining({ part_id: part.data.partId, retailer_id: retailer.data.retailerId, price_cents: 12_900n, currency: 'EUR', in_stock: true, observed_at: 1_740_816_000_000_000n })]);
    });

    it('writes an empty but valid Parquet file when nothing matches', async () => {
      const { rows } = await readParquet(await exportedFile({ format: 'parquet', types: ['BuildDeleted'] }, 'none.parquet'));
      expect(rows).toEqual([]);
    });

    it('writes CSV with a header, microsecond times and quoted JSON', async () => {
      const lines = (await exportedFile({ format: 'csv', types: ['BikeRegistered'] }, 'bikes.csv')).toString('utf8').trimEnd().split('\r\n');
      expect(lines[0]).toBe('position,stream_id,revision,event_id,type,occurred_at,recorded_at,actor,schema_version,bike_id,year,make,model,trim,engine_cc');
      const table = await eventsTable('BikeRegistered');
      expect(lines).toHaveLength(1 + table.length);
      expect(lines[1]).toMatch(new RegExp(`^${table[0]!.position},${bike.stream},0,${table[0]!.event_id},BikeRegistered,\\d{4}-\\d{2}-\\d{2}T[\\d:]{8}\\.\\d{6}Z,\\d{4}-\\d{2}-\\d{2}T[\\d:]{8}\\.\\d{6}Z,system:test,1,${bike.data.bikeId},`));
      const all = (await exportedFile({ format: 'csv', types: ['BikeRegistered', 'PartCataloged'] }, 'mixed.csv')).toString('utf8').split('\r\n');
      expect(all[0]).toBe('position,stream_id,revision,event_id,type,occurred_at,recorded_at,actor,schema_version,data,metadata');
      const dataField = /,system:test,1,"(\{.*?\})",/.exec(all[1]!)?.[1];
      expect(JSON.parse(dataField!.replaceAll('""', '"'))).toEqual(bike.data);
    });
  });
});
