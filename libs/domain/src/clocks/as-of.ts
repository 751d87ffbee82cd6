import { ValidationFailed } from '../errors.js';

/**
 * The two clocks of DESIGN §10. Every event has two times: when it happened (`metadata.occurredAt`,
 * from the command) and when the store recorded it (`createdAt`, the commit). `asOf` and the CLI's
 * `--until` cut on the first; `recordedAsOf` and `--recorded-until` on the second. A cut is an ISO
 * instant with an offset, or a global log position (the log's own order, the same on both clocks).
 */
export type ClockCut = { position: bigint } | { instant: Date };

export interface AsOf {
  /** asOf / --until */
  happened?: ClockCut;
  /** recordedAsOf / --recorded-until */
  recorded?: ClockCut;
}

export interface ClockedEvent {
  position: bigint;
  /** metadata.occurredAt */
  occurredAt: string;
  /** The store's commit time (RecordedEvent.createdAt). */
  recordedAt: Date;
}

const POSITION = /^(0|[1-9]\d{0,18})$/;
// An offset is required: a bare local time would mean a different instant on each machine.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Why `raw` is not a cut, or undefined when it is one. */
export function clockCutProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return 'must be a log position or an ISO-8601 instant with an offset';
  if (POSITION.test(raw)) return undefined;
  const parts = INSTANT.exec(raw);
  if (!parts) return 'must be a log position (a whole number) or an ISO-8601 instant with an offset, e.g. 2026-03-01T12:00:00Z';
  const [, year, month, day, hour, minute, , second = '0'] = parts;
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  // Date would roll 2026-02-30 over into March; a mistyped date must be refused, not moved.
  if (calendar.getUTCDate() !== Number(day) || calendar.getUTCMonth() !== Number(month) - 1 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return 'is not a calendar instant';
  }
  return undefined;
}

/** Parses a cut; a bad one is ValidationFailed naming `field` (a 400 at the edge, a usage error in the CLI). */
export function parseClockCut(raw: string, field: string): ClockCut {
  const problem = clockCutProblem(raw);
  if (problem) throw ValidationFailed.of([{ field, message: `${field} ${problem}` }]);
  return POSITION.test(raw) ? { position: BigInt(raw) } : { instant: new Date(raw) };
}

/** How a cut is shown back: the position as a decimal string, an instant in UTC. */
export function formatClockCut(cut: ClockCut): string {
  return 'position' in cut ? cut.position.toString() : cut.instant.toISOString();
}

function within(cut: ClockCut | undefined, position: bigint, time: number): boolean {
  if (!cut) return true;
  return 'position' in cut ? position <= cut.position : time <= cut.instant.getTime();
}

/** Whether the event is part of the world as of both cuts (both inclusive; an absent cut lets everything through). */
export function isAsOf(event: ClockedEvent, asOf: AsOf): boolean {
  const happened = Date.parse(event.occurredAt);
  if (Number.isNaN(happened)) throw new RangeError(`not an ISO-8601 instant: ${event.occurredAt}`);
  return within(asOf.happened, event.position, happened) && within(asOf.recorded, event.position, event.recordedAt.getTime());
}

/** The instant a cut stands for, when it has one (for "stale as of then"). */
export function instantOf(asOf: AsOf): Date | undefined {
  for (const cut of [asOf.happened, asOf.recorded]) if (cut && 'instant' in cut) return cut.instant;
  return undefined;
}
