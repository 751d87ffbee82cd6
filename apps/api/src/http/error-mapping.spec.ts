import { describe, expect, it } from '@jest/globals';
import { EventStoreUnavailable, StreamDeleted } from '@mpp/event-store';
import { toProblem } from './error-mapping.js';

describe('mapping event store errors to problem details', () => {
  it('answers 410 for a deleted stream', () => {
    expect(toProblem(new StreamDeleted('build-1'))).toMatchObject({ status: 410 });
  });

  it('answers 503 for an unavailable store, a node restarting or not ready included', () => {
    expect(toProblem(new EventStoreUnavailable('Server Is Not Ready', { cause: undefined }))).toMatchObject({ status: 503 });
  });
});
