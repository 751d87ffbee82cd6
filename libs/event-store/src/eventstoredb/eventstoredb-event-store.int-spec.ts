import { describe } from '@jest/globals';
import { eventStoreContract } from '../event-store.contract.js';
import { createEventStoreDbEventStore } from './eventstoredb-event-store.js';

// No EventStoreDB/KurrentDB server can run here; `docker compose up eventstoredb` and
// EVENTSTORE_URL=esdb://localhost:2113?tls=false run the same contract as PostgreSQL (docs/event-store.md).
const url = process.env.EVENTSTORE_URL;

if (url) {
  describe('EventStoreDB event store', () => {
    eventStoreContract({ createStore: (options) => createEventStoreDbEventStore({ connectionString: url, ...options }) });
  });
} else {
  describe.skip('EventStoreDB contract (skipped: EVENTSTORE_URL not set)', () => {
    eventStoreContract({
      createStore: () => {
        throw new Error('EVENTSTORE_URL is not set');
      },
    });
  });
}
