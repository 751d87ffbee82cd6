import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';
import { startApiUnderTest, type ApiUnderTest } from '../testing/api-under-test.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../testing/projector-under-test.js';
import { ProjectionChanges } from './answer-cache/projection-changes.js';

/**
 * Issue #20 finding 5: an `X-Min-Position` no projection will reach cost ~80 checkpoint queries per
 * request (a 5 ms polling loop for the whole 2 s). The wait is now one promise woken by the
 * projector's commit notices and one checkpoint read when it times out. What is counted is queries,
 * not time.
 */
describe('X-Min-Position beyond anything written', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  const checkpointReads: string[] = [];
  /** The read `waitForPosition` makes (active, settled generations); other reads of the table are not the wait's. */
  const countCheckpointReads = (query: { sql: string }) => {
    if (query.sql.includes('projection_checkpoints') && query.sql.includes('bulk_pending')) checkpointReads.push(query.sql);
  };

  beforeAll(async () => {
    api = await startApiUnderTest();
    projector = await startProjectorUnderTest(api.db);
    await request(api.app.getHttpServer()).get('/api/verifications/recent').expect(200);
  });
  afterAll(async () => {
    await projector?.stop();
    await api?.close();
  });

  it('answers X-Consistent false after one bounded wait on the commit notices, reading the checkpoints at most once', async () => {
    expect(api.app.get(ProjectionChanges).isFollowing).toBe(true);
    const knex = api.app.get<Knex>(KNEX);
    knex.on('query', countCheckpointReads);
    try {
      const res = await request(api.app.getHttpServer()).get('/api/verifications/recent').set('X-Min-Position', '999999999999').expect(200);
      expect(res.headers['x-consistent']).toBe('false');
    } finally {
      knex.off('query', countCheckpointReads);
    }
    // A polling wait reads them every few milliseconds for the whole bound (READ_YOUR_WRITES_WAIT_MS).
    expect(checkpointReads.length).toBeLessThanOrEqual(1);
  });

  it('refuses a position that is not a whole number, naming the header', async () => {
    const res = await request(api.app.getHttpServer()).get('/api/verifications/recent').set('X-Min-Position', 'soon').expect(400);
    expect(res.body.errors).toEqual([{ field: 'X-Min-Position', message: expect.any(String) }]);
  });
});
