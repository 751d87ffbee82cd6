import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { JobRegistry } from '../../operations/jobs/job-registry.js';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { AffiliateClicks } from './affiliate-clicks.js';
import { addMonths, listPartitions, monthStart, partitionNameFor } from './affiliate-partitions.js';

const PART = '7d3c9a52-1f0e-4c1b-9b43-5a0e6f2d8c11';
const RETAILER = '2b6e1f80-93c4-4d2a-8e7f-0c5b9a1d3e22';

describe('affiliate clicks', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  beforeAll(async () => {
    api = await startApiUnderTest();
  });
  afterAll(() => api.close());

  /** Which partition a row physically sits in. */
  const partitionsOf = (partId: string) =>
    api.db.knex.raw<{ rows: { partition: string; clicked_at: Date }[] }>(`SELECT tableoid::regclass::text AS partition, clicked_at FROM affiliate_clicks WHERE part_id = ?`, [partId]).then((r) => r.rows);

  it('records a click with 204 into the partition of the current month, without the IP or user agent', async () => {
    await http().post('/api/affiliate/click').set('User-Agent', 'RiderBrowser/1.0').set('X-Forwarded-For', '203.0.113.7').send({ partId: PART, retailerId: RETAILER }).expect(204);
    const rows = await partitionsOf(PART);
    expect(rows).toHaveLength(1);
    expect(rows[0].partition).toBe(partitionNameFor(new Date()));
    const stored = await api.db.knex('affiliate_clicks').where({ part_id: PART }).first();
    expect(stored).toMatchObject({ retailer_id: RETAILER, source: 'api' });
    expect(stored.visitor_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(stored)).not.toMatch(/127\.0\.0\.1|203\.0\.113\.7|RiderBrowser/);
  });

  it('rejects ids that are not UUIDs with a 400 naming each field', async () => {
    const res = await http().post('/api/affiliate/click').send({ partId: 'exhaust', retailerId: 42 }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['partId', 'retailerId']);
  });

  it('files a click into the partition of its own month', async () => {
    const part = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
    const nextMonth = addMonths(monthStart(new Date()), 1);
    await api.app.get(AffiliateClicks).record(part, RETAILER, 'redirect', { at: new Date(nextMonth.getTime() + 3600_000) });
    const rows = await partitionsOf(part);
    expect(rows[0].partition).toBe(partitionNameFor(nextMonth));
  });

  it('creates a missing month on the spot rather than lose the click', async () => {
    const part = '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f';
    const farAhead = new Date(Date.UTC(2031, 4, 17, 12));
    expect(await listPartitions(api.db.knex)).not.toContain('affiliate_clicks_y2031m05');
    await api.app.get(AffiliateClicks).record(part, RETAILER, 'redirect', { at: farAhead, ip: '198.51.100.1' });
    expect((await partitionsOf(part))[0].partition).toBe('affiliate_clicks_y2031m05');
  });

  it('hashes the same visitor alike within a day and differently on another day', async () => {
    const clicks = api.app.get(AffiliateClicks);
    const day = new Date(Date.UTC(2031, 4, 18, 9));
    const ids = ['1a000000-0000-4000-8000-000000000001', '1a000000-0000-4000-8000-000000000002', '1a000000-0000-4000-8000-000000000003'];
    await clicks.record(ids[0], RETAILER, 'api', { at: day, ip: '198.51.100.2' });
    await clicks.record(ids[1], RETAILER, 'api', { at: new Date(day.getTime() + 3600_000), ip: '198.51.100.2' });
    await clicks.record(ids[2], RETAILER, 'api', { at: new Date(day.getTime() + 24 * 3600_000), ip: '198.51.100.2' });
    const hashes = await Promise.all(ids.map(async (id) => (await api.db.knex('affiliate_clicks').where({ part_id: id }).first('visitor_hash')).visitor_hash));
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[2]).not.toBe(hashes[0]);
  });

  it('creates partitions months ahead when the maintenance job runs, and does nothing the second time', async () => {
    const first = await api.app.get(JobRegistry).runNow('affiliate-partitions');
    expect(first.outcome).toBe('ok');
    const partitions = await listPartitions(api.db.knex);
    for (let offset = 0; offset <= 3; offset += 1) expect(partitions).toContain(partitionNameFor(addMonths(monthStart(new Date()), offset)));
    const second = await api.app.get(JobRegistry).runNow('affiliate-partitions');
    expect(second.detail).toBe('all partitions present');
  });
});
