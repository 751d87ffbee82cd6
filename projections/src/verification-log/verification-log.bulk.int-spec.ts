import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { verificationLogProjection } from './verification-log.projection.js';
import { assertBothFormsAgree } from '../testing/both-forms.js';
import { fitmentHistoryEvent } from '../testing/fitment-histories.js';
import { recordedEvents } from '../testing/given-events.js';

/**
 * The verification-log projection's bulk form (its set-based batches, loaded without the readers' indexes,
 * which the finish builds) against its live form one event at a time, on random fitment histories
 * of two pairs (re-used ids, supersessions, retractions and moderations naming any id or none).
 */
describe('verification-log projection: bulk form', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('leaves the same rows and rejects the same events as the live form one event at a time', async () => {
    await assertBothFormsAgree(
      db.knex,
      verificationLogProjection,
      fc.array(fitmentHistoryEvent, { minLength: 1, maxLength: 40 }).map((given) => recordedEvents(given)),
      fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 4 }),
      40,
    );
  }, 120_000);
});
