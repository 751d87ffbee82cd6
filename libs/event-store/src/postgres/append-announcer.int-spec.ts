import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@mpp/testing';
import { AppendAnnouncer, appendedChannel } from './append-announcer.js';

describe('AppendAnnouncer', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('coalesces: announces asked for while one is in flight become exactly one more', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const received: string[] = [];
    let sentinelSeen!: () => void;
    const sentinel = new Promise<void>((resolve) => (sentinelSeen = resolve));
    listener.on('notification', (message) => {
      received.push(message.payload ?? '');
      if (message.payload === 'sentinel') sentinelSeen();
    });
    await listener.query(`LISTEN ${appendedChannel}`);
    const errors: Error[] = [];
    const announcer = new AppendAnnouncer({ connectionString: db.url }, (error) => errors.push(error));
    try {
      for (let i = 1; i <= 10; i++) announcer.announce(BigInt(i));
      // close() returns once every announce asked for has been sent.
      await announcer.close();
      // Notifications arrive in commit order: once this one is here, every announce before it is too.
      await listener.query(`SELECT pg_notify('${appendedChannel}', 'sentinel')`);
      await sentinel;
    } finally {
      await listener.end();
    }
    expect(errors).toEqual([]);
    // Each names the newest position it covers.
    expect(received).toEqual(['1', '10', 'sentinel']);
  });

  it('spaces announces: the first goes at once, those within the spacing become one, sent at the latest on close', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const received: string[] = [];
    const waiting = new Map<string, () => void>();
    const heard = (payload: string) => new Promise<void>((resolve) => waiting.set(payload, resolve));
    listener.on('notification', (message) => {
      received.push(message.payload ?? '');
      waiting.get(message.payload ?? '')?.();
    });
    await listener.query(`LISTEN ${appendedChannel}`);
    const errors: Error[] = [];
    // A spacing no test waits out: the first announce must not wait for it, and close() must cut it short.
    const announcer = new AppendAnnouncer({ connectionString: db.url }, (error) => errors.push(error), 600_000);
    try {
      const first = heard('1');
      announcer.announce(1n);
      await first;
      for (let i = 2; i <= 6; i++) announcer.announce(BigInt(i));
      // Notifications arrive in commit order: had any of the five gone out early, it would come before this one.
      const marker = heard('before close');
      await listener.query(`SELECT pg_notify('${appendedChannel}', 'before close')`);
      await marker;
      await announcer.close();
      const sentinel = heard('sentinel');
      await listener.query(`SELECT pg_notify('${appendedChannel}', 'sentinel')`);
      await sentinel;
    } finally {
      await listener.end();
    }
    expect(errors).toEqual([]);
    expect(received).toEqual(['1', 'before close', '6', 'sentinel']);
  });
});
