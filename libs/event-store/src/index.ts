export type {
  AppendResult,
  EventMetadata,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from './event-store.port.js';
export {
  DuplicateEventIds,
  EventStoreError,
  EventStoreUnavailable,
  StreamNotFound,
  WrongExpectedRevision,
  type ActualRevision,
} from './errors.js';
export { UpcasterRegistry, createUpcasterRegistry, type Upcast, type UpcasterDefinition } from './upcasters.js';
export { PostgresEventStore, createPostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
export {
  EventStoreDbEventStore,
  createEventStoreDbEventStore,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb/eventstoredb-event-store.js';
