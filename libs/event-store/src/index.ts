export type {
  AppendResult,
  EventMetadata,
  EventStore,
  EventStoreKind,
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
  StreamDeleted,
  StreamNotFound,
  WrongExpectedRevision,
  type ActualRevision,
} from './errors.js';
// Consumers of a subscription retry with the same abortable wait.
export { abortableDelay } from './abortable-delay.js';
// Snapshot reads of the log (exports, audit checkpoints) page through readAll the same way.
export { readAllInPages, type PagedRead } from './read-all-in-pages.js';
export { toExportedEvent, type ExportedEvent } from './exported-event.js';
export { UpcasterRegistry, createUpcasterRegistry, type Upcast, type UpcasterDefinition } from './upcasters.js';
export { PostgresEventStore, createPostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
// The same node-postgres failures reach every other pool in a process; one classifier for all of them.
export { isConnectionFailure as isPostgresConnectionFailure } from './postgres/connection-errors.js';
export {
  EventStoreDbEventStore,
  createEventStoreDbEventStore,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb/eventstoredb-event-store.js';
// The framework-free command shell (load, fold, decide, seal, chain, append) and the one event envelope.
export * from './commands/index.js';
// Re-verifying the fitment hash chains from the store itself (`mpp audit verify`, the erasure tests).
export * from './audit/index.js';
