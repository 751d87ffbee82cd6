import type { ClockCut } from '@mpp/domain';
import type { Until } from './projection-worker.js';

/**
 * Where a replay stops, from the two clocks as the API takes them (asOf: when it happened,
 * recordedAsOf: when the store recorded it); each a position or an instant. Two positions keep the
 * earlier; an instant on either clock limits by that clock.
 */
export function untilOf(happened: ClockCut | undefined, recorded: ClockCut | undefined): Until | undefined {
  if (!happened && !recorded) return undefined;
  const positions = [happened, recorded].flatMap((cut) => (cut && 'position' in cut ? [cut.position] : []));
  return {
    ...(positions.length > 0 ? { position: positions.reduce((a, b) => (a < b ? a : b)) } : {}),
    ...(happened && 'instant' in happened ? { occurredAt: happened.instant } : {}),
    ...(recorded && 'instant' in recorded ? { recordedAt: recorded.instant } : {}),
  };
}
