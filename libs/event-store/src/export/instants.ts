/**
 * Instants as microseconds since the epoch (bigint): PostgreSQL's `timestamptz` resolution, which a
 * JS Date (milliseconds) would cut. Exports and their filters compare and print these.
 */
export type Micros = bigint;

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO-8601 instant with an offset, to the microsecond (digits past the sixth are cut). */
export function isoToMicros(iso: string): Micros {
  const match = ISO.exec(iso);
  if (!match) throw new RangeError(`not an ISO-8601 instant with an offset: ${JSON.stringify(iso)}`);
  const [, whole, fraction = '', zone] = match;
  const seconds = Date.parse(`${whole}${zone}`);
  if (Number.isNaN(seconds)) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(iso)}`);
  return BigInt(seconds) * 1000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

export function dateToMicros(date: Date): Micros {
  return BigInt(date.getTime()) * 1000n;
}

/** `2025-03-01T08:12:00.412345Z`: always six fraction digits, always UTC. */
export function microsToIso(micros: Micros): string {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const subMillis = micros - millis * 1000n;
  const base = new Date(Number(millis)).toISOString(); // ...T08:12:00.412Z
  return `${base.slice(0, -1)}${String(subMillis).padStart(3, '0')}Z`;
}
