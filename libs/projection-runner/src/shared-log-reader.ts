import type { EventStore, RecordedEvent } from '@mpp/event-store';
import { eventBatches } from './event-batches.js';

/** What a worker consumes: a batch of events in log order, or `idle` when nothing more is ready now. */
export type LogItem = RecordedEvent[] | 'idle';

/** Most events per batch a consumer takes, asked before each batch (a worker in bulk mode takes several pages). */
export type BatchLimit = () => number;

/**
 * Asked before each batch: up to which position a batch waits until `limit()` events are held,
 * instead of taking what is there (a worker in bulk mode: the head it catches up to); undefined,
 * take what is held. A projection at the front of a rebuild would otherwise take each page as it
 * is read, and pay a bulk batch's fixed cost (its reads of the rows it folds over, its upserts of
 * keys the next page touches again) once per page instead of once per ten.
 */
export type BatchFill = () => bigint | undefined;

export interface SharedLogReaderOptions {
  store: EventStore;
  /** Most events per page read from the store, and per batch handed to a worker. */
  batchSize: number;
  /**
   * Most events one reading holds for its workers (default 50 pages): memory stays bounded. Reading
   * runs that far ahead of the slowest worker, so a worker whose batch takes long (a bulk write, a
   * finish) does not stall the reading of the others, and finds its next pages already decoded.
   */
  maxBufferedEvents?: number;
  /**
   * How long a full reading waits for a worker that still needs its oldest page (default 30 s since
   * that worker last took a batch): one that keeps taking batches is waited for, so the log is read
   * once however far apart the workers' speeds are; one that took nothing for this long (stuck on
   * `RetryLater`, or far slower than this) leaves for a reading of its own (below).
   */
  stallMs?: number;
}

interface Page {
  /** Exclusive start: the position the page was read after. */
  after: bigint;
  last: bigint;
  events: RecordedEvent[];
}

interface Consumer {
  /** Last position handed to this consumer. */
  cursor: bigint;
  /** The `idleEpoch` this consumer was last told `idle` in. */
  toldIdle: number;
  /** Fell a whole buffer behind and took nothing for `stallMs` while others waited: it goes on in another reading. */
  detached: boolean;
  /** When it last took a batch (or joined), performance.now(). */
  tookAt: number;
  /** Waits for a fuller batch than is held (BatchFill): it cannot go on until the reading reads more. */
  filling: boolean;
}

/**
 * One runner's reading of the log: a worker that starts at a position some reading still holds (or
 * will soon read) joins it, so each page is read and decoded once for every projection of the runner
 * — during a rebuild of them all, one reading instead of seven. A worker far from every reading (a
 * rebuild from 0 beside live workers at the head) gets a reading of its own; a reading whose last
 * worker leaves ends. Readings that meet become one: a worker caught up in a newer reading moves
 * to an older one that has read as far (olderReadingAhead).
 *
 * A reading holds at most `maxBufferedEvents`. When it is full and the oldest page is still needed
 * by a slow worker, the others wait for it while it keeps taking batches: a rebuild of every
 * projection reads and decodes the log once, the fast projections running at most the buffer ahead
 * of the slowest (on a shared machine the CPU they would spend on a second reading goes to the
 * slowest instead). A slow worker that took nothing for `stallMs` while another has consumed
 * everything held leaves for a reading of its own (or one that can serve them): a stuck projection
 * holds the others back by at most that long.
 */
export class SharedLogReader {
  private readonly readings = new Set<LogReading>();
  private readonly maxBufferedEvents: number;
  private readonly stallMs: number;
  /** Events read from the store by every reading so far: a bench's measure of how often the log was read. */
  eventsRead = 0;
  private holds = 0;

  constructor(private readonly options: SharedLogReaderOptions) {
    this.maxBufferedEvents = options.maxBufferedEvents ?? 50 * options.batchSize;
    this.stallMs = options.stallMs ?? 30_000;
  }

  /** Events per page read from the store: a consumer's batch unless its `limit` says more. */
  get batchSize(): number {
    return this.options.batchSize;
  }

  /**
   * Batches after `fromPosition` (exclusive) then live ones, like a subscription; ends on abort.
   * A batch is what is held after the consumer's cursor, up to `limit()` events (default one page).
   * It waits for more to be read only while the batch ends before `fill()`. Waiting to fill counts
   * as being held back: a full reading then detaches a stalled slow consumer as it would for one
   * waiting at the front.
   */
  consume(fromPosition: bigint, signal: AbortSignal, limit?: BatchLimit, fill?: BatchFill): AsyncGenerator<LogItem> {
    let reading = [...this.readings].find((candidate) => candidate.canServe(fromPosition));
    if (!reading) {
      const created: LogReading = new LogReading(
        this.options.store,
        fromPosition,
        this.options.batchSize,
        this.maxBufferedEvents,
        this.stallMs,
        () => this.holds > 0,
        () => this.readings.delete(created),
        (count) => (this.eventsRead += count),
        (position, consumerSignal, consumerLimit, consumerFill) => this.consume(position, consumerSignal, consumerLimit, consumerFill),
        (position) => this.olderReadingAhead(created, position),
      );
      this.readings.add(created);
      reading = created;
    }
    return reading.consume(fromPosition, signal, limit, fill);
  }

  /**
   * While held, no reading drops a page: a worker that is still starting (creating its tables) and
   * asks for the log from where the others started finds it held, instead of reading it again in a
   * reading of its own. A full reading waits meanwhile. Returns the release (idempotent).
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) for (const reading of this.readings) reading.wake();
    };
  }

  /**
   * A reading started before `than` that has read at least up to `position` and still holds
   * everything after it: a consumer caught up in `than` moves there, so two readings that met (a
   * rebuild's reading reaching the live one, a reactor that started at another position) become
   * one instead of both reading every page for ever. Only to an older one, so consumers never move
   * back and forth; never to one behind the consumer, which would make it wait.
   */
  private olderReadingAhead(than: LogReading, position: bigint): LogReading | undefined {
    for (const reading of this.readings) {
      if (reading === than) return undefined;
      if (reading.readThrough >= position && reading.canServe(position)) return reading;
    }
    return undefined;
  }

  /** Readings running now; a status and test hook. */
  get readingCount(): number {
    return this.readings.size;
  }
}

/**
 * Index of the first page whose last event is after `cursor` (`pages.length` if none), by binary
 * search: pages are in log order. At the live tail a page is often one event, so a reading holds
 * tens of thousands of them, and every consumer looks its next batch up after every append.
 */
export function firstPageEndingAfter(pages: readonly { last: bigint }[], cursor: bigint): number {
  let low = 0;
  let high = pages.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (pages[middle]!.last > cursor) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** One subscription whose pages are kept, up to a bound, until every consumer has passed them. */
class LogReading {
  private readonly pages: Page[] = [];
  private buffered = 0;
  /** Last position read from the store (the start before the first page). */
  private readPosition: bigint;
  /** Incremented whenever the subscription had nothing ready after the last page. */
  private idleEpoch = 0;
  private idle = false;
  private failure: { error: unknown } | undefined;
  private ended = false;
  private readonly consumers = new Set<Consumer>();
  private readonly controller = new AbortController();
  private waiting: (() => void)[] = [];
  /** Wakes a full reading when a slow consumer it waits for has been silent for `stallMs`. */
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly start: bigint,
    private readonly batchSize: number,
    private readonly maxBufferedEvents: number,
    private readonly stallMs: number,
    private readonly held: () => boolean,
    private readonly onEnd: () => void,
    private readonly onRead: (count: number) => void,
    /** Where a detached consumer goes on from its position. */
    private readonly elsewhere: (position: bigint, signal: AbortSignal, limit?: BatchLimit, fill?: BatchFill) => AsyncIterable<LogItem>,
    /** An older reading a consumer caught up here can move to (SharedLogReader.olderReadingAhead). */
    private readonly olderAhead: (position: bigint) => LogReading | undefined,
  ) {
    this.readPosition = start;
    void this.read();
  }

  /** Last position read from the store. */
  get readThrough(): bigint {
    return this.readPosition;
  }

  /**
   * Whether a consumer starting after `position` can share this reading: everything after it is
   * still held or not yet read, and the reading is not so far behind it that the consumer would
   * wait for the reading to come up from far below.
   */
  canServe(position: bigint): boolean {
    if (this.ended || this.failure) return false;
    const oldest = this.pages[0]?.after ?? this.readPosition;
    return position >= oldest && position <= this.readPosition + BigInt(this.maxBufferedEvents);
  }

  /**
   * Registers the consumer at once (not on the first `next()`), so the pages it needs stay held;
   * it leaves when its iteration ends or its signal aborts, whichever comes first.
   */
  consume(fromPosition: bigint, signal: AbortSignal, limit?: BatchLimit, fill?: BatchFill): AsyncGenerator<LogItem> {
    const consumer: Consumer = { cursor: fromPosition, toldIdle: -1, detached: false, tookAt: performance.now(), filling: false };
    this.consumers.add(consumer);
    const leave = () => this.leave(consumer);
    signal.addEventListener('abort', leave, { once: true });
    return this.deliver(consumer, signal, limit, fill, () => {
      signal.removeEventListener('abort', leave);
      leave();
    });
  }

  private async *deliver(consumer: Consumer, signal: AbortSignal, limit: BatchLimit | undefined, fill: BatchFill | undefined, leave: () => void): AsyncGenerator<LogItem> {
    try {
      while (!signal.aborted) {
        if (consumer.detached) {
          leave();
          yield* this.elsewhere(consumer.cursor, signal, limit, fill);
          return;
        }
        if (this.failure) throw this.failure.error;
        const wanted = limit?.() ?? this.batchSize;
        const batch = this.batchAfter(consumer.cursor, wanted);
        const fillTo = fill?.();
        consumer.filling = batch.length > 0 && batch.length < wanted && fillTo !== undefined && batch[batch.length - 1]!.position < fillTo;
        if (batch.length > 0 && !consumer.filling) {
          consumer.cursor = batch[batch.length - 1]!.position;
          consumer.tookAt = performance.now();
          // The reading may be waiting for the slowest consumer to free the oldest page.
          this.changed();
          yield batch;
          continue;
        }
        if (this.idle && consumer.cursor >= this.readPosition && consumer.toldIdle !== this.idleEpoch) {
          consumer.toldIdle = this.idleEpoch;
          const older = this.olderAhead(consumer.cursor);
          if (older) {
            leave();
            yield* older.consume(consumer.cursor, signal, limit, fill);
            return;
          }
          yield 'idle';
          continue;
        }
        if (this.ended) return;
        await this.change();
      }
    } finally {
      leave();
    }
  }

  private leave(consumer: Consumer): void {
    if (!this.consumers.delete(consumer)) return;
    if (this.consumers.size === 0) this.end();
    else this.changed();
  }

  /** Up to `max` held events after `cursor`, across consecutive pages (each page starts where the one before ended). */
  private batchAfter(cursor: bigint, max: number): RecordedEvent[] {
    const index = firstPageEndingAfter(this.pages, cursor);
    if (index === this.pages.length) return [];
    const page = this.pages[index]!;
    // Cannot happen while pages are dropped only once every consumer has passed them; a guard
    // against a silent gap should that rule ever break.
    if (page.after > cursor) throw new Error(`shared log reading holds no events between ${cursor} and ${page.after}`);
    const first = page.events.findIndex((event) => event.position > cursor);
    const batch = page.events.slice(first, first + max);
    for (let next = index + 1; batch.length < max && next < this.pages.length; next++) {
      const events = this.pages[next]!.events;
      batch.push(...(events.length <= max - batch.length ? events : events.slice(0, max - batch.length)));
    }
    return batch;
  }

  private async read(): Promise<void> {
    const source = this.store.subscribeToAll({
      fromPosition: this.start > 0n ? this.start : undefined,
      signal: this.controller.signal,
    });
    try {
      for await (const item of eventBatches(source, this.batchSize, () => this.controller.abort())) {
        if (item === 'idle') {
          this.idle = true;
          this.idleEpoch++;
          this.changed();
          continue;
        }
        while (!this.ended && !this.makeRoom(item.length)) await this.change();
        if (this.ended) return;
        this.pages.push({ after: this.readPosition, last: item[item.length - 1]!.position, events: item });
        this.buffered += item.length;
        this.onRead(item.length);
        this.readPosition = item[item.length - 1]!.position;
        this.idle = false;
        this.changed();
      }
    } catch (error) {
      if (!this.ended) this.failure = { error };
    } finally {
      this.end();
    }
  }

  /**
   * Drops pages every consumer has passed until `count` more events fit; none while the reader is
   * held (false: the reading waits). While a slow consumer still
   * needs the oldest page the reading waits (false), unless another has consumed everything held (it
   * is held back) and the slow one took nothing for `stallMs`: then the slow one is detached.
   */
  private makeRoom(count: number): boolean {
    while (this.pages.length > 0 && this.buffered + count > this.maxBufferedEvents) {
      if (this.held()) return false;
      const oldest = this.pages[0]!;
      const needing = [...this.consumers].filter((consumer) => consumer.cursor < oldest.last);
      if (needing.length > 0) {
        const heldBack = [...this.consumers].some((consumer) => consumer.cursor >= this.readPosition || consumer.filling);
        if (!heldBack) return false;
        const now = performance.now();
        const stalled = needing.filter((consumer) => now - consumer.tookAt >= this.stallMs);
        for (const consumer of stalled) {
          consumer.detached = true;
          this.consumers.delete(consumer);
        }
        if (stalled.length > 0) this.changed();
        if (stalled.length < needing.length) {
          const lastTook = Math.max(...needing.filter((consumer) => !stalled.includes(consumer)).map((consumer) => consumer.tookAt));
          this.wakeAt(lastTook + this.stallMs);
          return false;
        }
      }
      this.pages.shift();
      this.buffered -= oldest.events.length;
    }
    return true;
  }

  /** Lets a reading waiting for room look again (its reader was released). */
  wake(): void {
    this.changed();
  }

  /** A waiting reading is woken by consumers taking batches; this wakes it if the slowest stops taking them. */
  private wakeAt(when: number): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.changed(), Math.max(0, when - performance.now()));
    this.stallTimer.unref();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.stallTimer);
    this.controller.abort();
    this.onEnd();
    this.changed();
  }

  private change(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private changed(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
