import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CURRENT_SCHEMA_VERSION,
  chainMetadata,
  foldEvents,
  isFitmentStream,
  parseEvent,
  type Decider,
  type DomainEvent,
} from '@mpp/domain';
import { StreamNotFound, WrongExpectedRevision, type EventStore, type EventToAppend, type RecordedEvent } from '@mpp/event-store';
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
 * that was read. Fitment streams get their hash chain here, in one place.
 */
@Injectable()
export class StreamCommands {
  /** The tail of each stream's queue of commands in this process; absent when the stream is idle. */
  private readonly streamQueues = new Map<string, Promise<void>>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load<State>(stream: string, decider: Pick<Decider<never, State>, 'initialState' | 'evolve'>): Promise<LoadedStream<State>> {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.store.readStream(stream)) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
    const last = events.at(-1);
    return {
      state: foldEvents(decider, events.map(toDomainEvent)),
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
      const toAppend = this.toAppend(options.stream, events, loaded, options.context);
      try {
        const result = await this.store.appendToStream(options.stream, toAppend, { expectedRevision: loaded.revision });
        return { events, eventIds: toAppend.map((e) => e.eventId), position: result.position, revision: result.nextRevision };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision) || attempt >= retries) throw error;
        await backOff(attempt);
      }
    }
  }

  private toAppend(stream: string, events: DomainEvent[], loaded: LoadedStream<unknown>, context: CommandContext): EventToAppend[] {
    const nextRevision = loaded.revision === 'no_stream' ? 0n : loaded.revision + 1n;
    // The hash covers actor and occurredAt (hash version 2): both come from here, once, for every event.
    const envelope = { actor: context.actor, occurredAt: context.now.toISOString() };
    const chain = isFitmentStream(stream) ? chainMetadata(events, { lastHash: loaded.lastHash, nextRevision }, envelope) : undefined;
    return events.map((event, index) => ({
      eventId: event.eventId ?? randomUUID(),
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: {
        correlationId: context.correlationId,
        causationId: context.causationId,
        schemaVersion: CURRENT_SCHEMA_VERSION,
        ...envelope,
        ...(chain ? chain[index] : {}),
      },
    }));
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

export function toDomainEvent(event: RecordedEvent): DomainEvent {
  return parseEvent(event.type, event.data);
}
