import { foldEvents, openPersonalText, parseEvent, sealedTextOwners, type Decider, type DomainEvent } from '@mpp/domain';
import { StreamNotFound, WrongExpectedRevision } from '../errors.js';
import type { EventStore, RecordedEvent } from '../event-store.port.js';
import type { CommandContext } from './command-context.js';
import { envelopeOf, eventsToAppend, sealEvent } from './event-envelope.js';

/** The per-person keys riders' free text is sealed under (docs/domain.md "Sealed free text"). */
export interface PersonalTextKeys {
  /** The keys that still exist; an erased person's is absent. */
  read(userIds: Iterable<string>): Promise<Map<string, Buffer>>;
  /** The person's key, created on first use. */
  keyFor(userId: string): Promise<Buffer>;
}

export interface LoadedStream<State> {
  state: State;
  /** Revision of the last event, or 'no_stream'. */
  revision: bigint | 'no_stream';
  /** Position of the stream's last event (0n for none): what a no-op command answers. */
  lastPosition: bigint;
  lastHash: string | undefined;
  events: RecordedEvent[];
}

export interface CommandOutcome<Event extends DomainEvent = DomainEvent> {
  events: Event[];
  /** Ids the appended events got, in order (empty when nothing was new). */
  eventIds: string[];
  /** Global position of the last event appended, or of the stream's last event when nothing was new. */
  position: bigint;
  /** Revision of the stream's last event after the command ('no_stream' if it still has none). */
  revision: bigint | 'no_stream';
}

export interface HandleOptions<Command, State, Event extends DomainEvent, Facts = undefined> {
  stream: string;
  decider: Decider<Command, State, Event>;
  /**
   * What the command needs to know besides its stream (that the part and bike it names exist): read
   * at the same time as the stream, not before it, so it adds no round trip of its own. Read once
   * per command, not again on a conflict retry: only facts that cannot change back belong here (a
   * stream that exists in an append-only log always will; one that did not makes the decider refuse,
   * and a refusal appends nothing, so it is never retried).
   */
  facts?: () => Promise<Facts>;
  /** Built from the folded state, so a retry after a concurrent append decides again on fresh state. */
  command: (state: State, loaded: LoadedStream<State>, facts: Facts) => Command;
  context: CommandContext;
  /** How often to load-decide-append again when another writer appended first. 0: surface the conflict. */
  retriesOnConflict?: number;
}

/** What the shell reads from and writes to. */
export interface CommandStore {
  store: EventStore;
  keys: PersonalTextKeys;
}

/** Reads the stream and folds it, riders' free text opened with the keys that still exist. */
export async function loadStream<State>(
  { store, keys }: CommandStore,
  stream: string,
  decider: Pick<Decider<never, State>, 'initialState' | 'evolve'>,
): Promise<LoadedStream<State>> {
  const events: RecordedEvent[] = [];
  try {
    for await (const event of store.readStream(stream)) events.push(event);
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  const last = events.at(-1);
  const opened = await keys.read(events.flatMap((event) => sealedTextOwners(event.metadata)));
  return {
    state: foldEvents(decider, events.map((event) => toDomainEvent(event, opened))),
    revision: last ? last.revision : 'no_stream',
    lastPosition: last ? last.position : 0n,
    lastHash: typeof last?.metadata.hash === 'string' ? last.metadata.hash : undefined,
    events,
  };
}

export async function streamExists(store: EventStore, stream: string): Promise<boolean> {
  try {
    for await (const _event of store.readStream(stream, { maxCount: 1 })) return true;
  } catch (error) {
    if (error instanceof StreamNotFound) return false;
    throw error;
  }
  return false;
}

/**
 * The thin shell around every decider: load the stream, fold, decide, seal, chain, append with the
 * revision that was read. Deciders only ever see the text; the log only ever holds its commitment
 * and ciphertext. A conflict surfaces as WrongExpectedRevision once the retries are spent.
 */
export async function handleCommand<Command, State, Event extends DomainEvent, Facts = undefined>(
  target: CommandStore,
  options: HandleOptions<Command, State, Event, Facts>,
): Promise<CommandOutcome<Event>> {
  const retries = options.retriesOnConflict ?? 0;
  let factsRead: Promise<Facts> | undefined;
  for (let attempt = 0; ; attempt++) {
    factsRead ??= options.facts?.() as Promise<Facts>;
    const [loaded, facts] = await Promise.all([loadStream(target, options.stream, options.decider), factsRead]);
    const events = options.decider.decide(options.command(loaded.state, loaded, facts), loaded.state);
    if (events.length === 0) return { events, eventIds: [], position: loaded.lastPosition, revision: loaded.revision };
    const sealed = await Promise.all(events.map((event) => sealEvent(event, (owner) => target.keys.keyFor(owner))));
    const nextRevision = loaded.revision === 'no_stream' ? 0n : loaded.revision + 1n;
    const toAppend = eventsToAppend(options.stream, sealed, { lastHash: loaded.lastHash, nextRevision }, envelopeOf(options.context));
    try {
      const result = await target.store.appendToStream(options.stream, toAppend, { expectedRevision: loaded.revision });
      return { events, eventIds: toAppend.map((e) => e.eventId), position: result.position, revision: result.nextRevision };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision) || attempt >= retries) throw error;
      await backOff(attempt);
    }
  }
}

/**
 * Runs commands on one stream one after another within this process. Racing them only to have all
 * but one fail on the expected revision and retry wastes a load and a decision per loser per
 * round; with 100 riders on one part+bike some lost 40 rounds in a row and got a 409 for a command
 * that depends on nothing they saw. Queued, they meet a conflict only from another process, which
 * the retries cover.
 */
export class CommandShell {
  /** The tail of each stream's queue of commands in this process; absent when the stream is idle. */
  private readonly streamQueues = new Map<string, Promise<void>>();
  private readonly existing = new KnownStreams();

  constructor(private readonly target: CommandStore) {}

  load<State>(stream: string, decider: Pick<Decider<never, State>, 'initialState' | 'evolve'>): Promise<LoadedStream<State>> {
    return loadStream(this.target, stream, decider);
  }

  /** Whether the stream has an event; a stream seen to exist is not read again (see KnownStreams). */
  async exists(stream: string): Promise<boolean> {
    if (this.existing.has(stream)) return true;
    const found = await streamExists(this.target.store, stream);
    if (found) this.existing.add(stream);
    return found;
  }

  execute<Command, State, Event extends DomainEvent, Facts = undefined>(options: HandleOptions<Command, State, Event, Facts>): Promise<CommandOutcome<Event>> {
    const previous = this.streamQueues.get(options.stream) ?? Promise.resolve();
    const run = previous.then(() => handleCommand(this.target, options));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.streamQueues.set(options.stream, tail);
    void tail.then(() => {
      if (this.streamQueues.get(options.stream) === tail) this.streamQueues.delete(options.stream);
    });
    return run;
  }
}

/**
 * Streams this process has seen to exist. The log is append-only (no event is ever deleted, and
 * PostgreSQL refuses it), so a stream that exists always will: the answer can be remembered, and
 * every verification after the first of a part and a bike skips their two existence reads. Only
 * "exists" is remembered; a missing stream is read again next time, as it may be created any moment.
 * Bounded: when full it starts afresh, which costs one read per stream again.
 */
class KnownStreams {
  private readonly names = new Set<string>();

  constructor(private readonly capacity = KNOWN_STREAMS) {}

  has(stream: string): boolean {
    return this.names.has(stream);
  }

  add(stream: string): void {
    if (this.names.size >= this.capacity) this.names.clear();
    this.names.add(stream);
  }
}

/** About 100 bytes a name: a few MB at most. */
const KNOWN_STREAMS = 50_000;

/**
 * Full jitter, capped: many writers racing on one stream spread out instead of colliding again
 * in lockstep, and the cap bounds the extra latency a rider sees.
 */
function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 250;

/** The event as its author wrote it: sealed text opened with the owners' keys, or absent once erased. */
export function toDomainEvent(event: RecordedEvent, keys: ReadonlyMap<string, Buffer>): DomainEvent {
  return parseEvent(event.type, openPersonalText(event.type, event.data, event.metadata, keys).data);
}
