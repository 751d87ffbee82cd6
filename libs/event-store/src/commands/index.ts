export { systemContext, type CommandContext, type CommandInput } from './command-context.js';
export { newEventId } from './new-event-id.js';
export { envelopeOf, eventMetadata, eventsToAppend, sealEvent, type EventEnvelope, type SealedEvent } from './event-envelope.js';
export {
  CommandShell,
  handleCommand,
  loadStream,
  streamExists,
  toDomainEvent,
  type CommandOutcome,
  type CommandStore,
  type HandleOptions,
  type LoadedStream,
  type PersonalTextKeys,
} from './command-shell.js';
