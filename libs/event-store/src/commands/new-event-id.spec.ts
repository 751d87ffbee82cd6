import { describe, expect, it } from '@jest/globals';
import { newEventId } from './new-event-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newEventId', () => {
  it('makes UUIDv7s that sort in the order they were made, so the event_id index grows at its right edge', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(newEventId());
      // A millisecond apart at least: the order is the timestamp's, whatever a clock tick holds.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
  });

  it('makes a different id each time, also within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, newEventId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
