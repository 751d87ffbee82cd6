import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { IntegrationErrors } from './integration-errors.js';
import { Resilience } from './resilience.js';

describe('IntegrationErrors', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('records a call that failed for good, with its payload and error, and no personal data', async () => {
    const errors = new IntegrationErrors(db.knex);
    const caller = new Resilience(errors, { initialDelayMs: 1, maxDelayMs: 2, retries: 1 }).for('retailer-feed');
    await expect(
      caller.call('fetch-feed', async () => {
        throw new Error('503 from feed for ops@retailer.example');
      }, { payload: { retailerId: 'r-1', contactEmail: 'ops@retailer.example' } }),
    ).rejects.toThrow(/fetch-feed failed/);

    const [row] = await errors.latest();
    expect(row).toMatchObject({ integration: 'retailer-feed', operation: 'fetch-feed', payload: { retailerId: 'r-1', contactEmail: '[redacted]' } });
    expect(row.error).toContain('503 from feed for [email]');
    expect(row.occurredAt).toBeInstanceOf(Date);
    expect(JSON.stringify(await db.knex('integration_errors'))).not.toContain('ops@retailer.example');
  });
});
