import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CURRENT_SCHEMA_VERSION,
  chainMetadata,
  foldEvents,
  isFitmentStream,
  openPersonalText,
  parseEvent,
  personalTextOwner,
  sealPersonalText,
  sealedTextOwners,
  type Decider,
  type DomainEvent,
} from '@mpp/domain';
import { StreamNotFound, WrongExpectedRevision, type EventStore, type EventToAppend, type RecordedEvent } from '@mpp/event-store';
import { UserKeysRepository } from '../erasure/user-keys.repository.js';
import { EVENT_STORE } from '../infrastructure/tokens.js';
import type { CommandContext } from './command-context.js';

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

export interface ExecuteOptions<Command, State, Event extends DomainEvent> {
  stream: string;
  decider: Decider<Command, State, Event>;
  /** Built from the folded state, so a retry after a concurrent append decides again on fresh state. */
  command: (state: State, loaded: LoadedStream<State>) => Command;
  context: CommandContext;
  /** How often to load-decide-append again when another writer appended first. 0: surface the conflict. */
  retriesOnConflict?: number;
}

/**
 * The thin shell around every decider: load the stream, fold, decide, append with the revision
 * that was read. Fitment streams get their hash chain here, in one place, and riders' free text is
 * sealed here on the way in and opened on the way back (docs/domain.md "Sealed free text"), so deciders only
 * ever see the text and the log only ever holds its commitment and ciphertext.
 */
@Injectable()
export class StreamCommands {
  /** The tail of each stream's queue of commands in this process; absent when the stream is idle. */
  private readonly streamQueues = new Map<string, Promise<void>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly keys: UserKeysRepository,
  ) {}

  async load<State>(stream: string, decider: Pick<Decider<never, State>, 'initialState' | 'evolve'>): Promise<LoadedStream<State>> {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.store.readStream(stream)) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
    const last = events.at(-1);
    const keys = await this.keys.read(events.flatMap((event) => sealedTextOwners(event.metadata)));
    return {
      state: foldEvents(decider, events.map((event) => toDomainEvent(event, keys))),
      revision: last ? last.revision : 'no_stream',
      lastPosition: last ? last.position : 0n,
      lastHash: typeof last?.metadata.hash === 'string' ? last.metadata.hash : undefined,
      events,
    };
  }

  async exists(stream: string): Promise<boolean> {
    try {
      for await (const _event of this.store.readStream(stream, { maxCount: 1 })) return true;
    } catch (error) {
      if (error instanceof StreamNotFound) return false;
      throw error;
    }
    return false;
  }

  /**
   * Commands on one stream run one after another within this process. Racing them only to have all
   * but one fail on the expected revision and retry wastes a load and a decision per loser per
   * round; with 100 riders on one part+bike some lost 40 rounds in a row and got a 409 for a command
   * that depends on nothing they saw. Queued, they meet a conflict only from another API instance,
   * which the retries cover.
   */
  async execute<Command, State, Event extends DomainEvent>(options: ExecuteOptions<Command, State, Event>): Promise<CommandOutcome<Event>> {
    const previous = this.streamQueues.get(options.stream) ?? Promise.resolve();
    const run = previous.then(() => this.loadDecideAppend(options));
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

  private async loadDecideAppend<Command, State, Event extends DomainEvent>(options: ExecuteOptions<Command, State, Event>): Promise<CommandOutcome<Event>> {
    const retries = options.retriesOnConflict ?? 0;
    for (let attempt = 0; ; attempt++) {
      const loaded = await this.load(options.stream, options.decider);
      const events = options.decider.decide(options.command(loaded.state, loaded), loaded.state);
      if (events.length === 0) return { events, eventIds: [], position: loaded.lastPosition, revision: loaded.revision };
      const toAppend = await this.toAppend(options.stream, events, loaded, options.context);
      try {
        const result = await this.store.appendToStream(options.stream, toAppend, { expectedRevision: loaded.revision });
        return { events, eventIds: toAppend.map((e) => e.eventId), position: result.position, revision: result.nextRevision };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision) || attempt >= retries) throw error;
        await backOff(attempt);
      }
    }
  }

  private async toAppend(stream: string, events: DomainEvent[], loaded: LoadedStream<unknown>, context: CommandContext): Promise<EventToAppend[]> {
    const nextRevision = loaded.revision === 'no_stream' ? 0n : loaded.revision + 1n;
    // The hash covers actor and occurredAt (hash version 2): both come from here, once, for every event.
    const envelope = { actor: context.actor, occurredAt: context.now.toISOString() };
    // Sealed before hashing: the chain covers the commitments, never the text.
    const sealed = await Promise.all(events.map((event) => this.seal(event)));
    const chain = isFitmentStream(stream) ? chainMetadata(sealed, { lastHash: loaded.lastHash, nextRevision }, envelope) : undefined;
    return sealed.map((event, index) => ({
      eventId: event.eventId ?? randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        correlationId: context.correlationId,
        causationId: context.causationId,
        schemaVersion: CURRENT_SCHEMA_VERSION,
        ...envelope,
        ...(chain ? chain[index] : {}),
        ...(event.sealed ? { sealed: event.sealed } : {}),
      },
    }));
  }

  private async seal(event: DomainEvent): Promise<{ type: string; eventId: string | undefined; data: Record<string, unknown>; sealed: ReturnType<typeof sealPersonalText>['sealed'] }> {
    const data = event.data as Record<string, unknown>;
    const owner = personalTextOwner(event.type, data);
    if (owner === undefined) return { type: event.type, eventId: event.eventId, data, sealed: undefined };
    return { type: event.type, eventId: event.eventId, ...sealPersonalText(event.type, data, await this.keys.keyFor(owner)) };
  }
}

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
