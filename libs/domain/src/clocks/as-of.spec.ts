import { describe, expect, it } from '@jest/globals';
import { ValidationFailed } from '../errors.js';
import { compatibilityFromEvents } from '../fitment/compatibility-status.js';
import { parseEvent } from '../events/parse-event.js';
import { MT07_ID, OTHER_RIDER, RIDER, SLIP_ON_ID, VERIFICATION_1, VERIFICATION_2 } from '../testing/catalog-fixtures.js';
import { clockCutProblem, formatClockCut, isAsOf, parseClockCut } from './as-of.js';

describe('parseClockCut', () => {
  it('reads a whole number as a log position and an ISO instant with an offset as an instant', () => {
    expect(parseClockCut('42', 'asOf')).toEqual({ position: 42n });
    expect(parseClockCut('2026-03-01T12:00:00+02:00', 'asOf')).toEqual({ instant: new Date('2026-03-01T10:00:00Z') });
    expect(formatClockCut(parseClockCut('2026-03-01T12:00:00.5+02:00', 'asOf'))).toBe('2026-03-01T10:00:00.500Z');
  });

  it.each([
    ['2026-03-01T12:00:00', 'no offset'],
    ['2026-03-01', 'a bare date'],
    ['2026-02-30T00:00:00Z', 'no such day'],
    ['2026-03-01T24:00:00Z', 'no such hour'],
    ['-1', 'a negative position'],
    ['007', 'a position with leading zeros'],
    ['yesterday', 'words'],
    ['', 'nothing'],
  ])('refuses %j (%s), naming the field', (raw) => {
    expect(clockCutProblem(raw)).toEqual(expect.any(String));
    expect(() => parseClockCut(raw, 'recordedAsOf')).toThrow(ValidationFailed);
    try {
      parseClockCut(raw, 'recordedAsOf');
    } catch (error) {
      expect((error as ValidationFailed).field).toBe('recordedAsOf');
    }
  });
});

describe('isAsOf: the two clocks', () => {
  // Happened on the 1st, recorded on the 3rd (a back-filled import), at position 10.
  const late = { position: 10n, occurredAt: '2026-03-01T10:00:00Z', recordedAt: new Date('2026-03-03T10:00:00Z') };

  it('given an event recorded late, when cut on when it happened, then it counts from the day it happened', () => {
    expect(isAsOf(late, { happened: { instant: new Date('2026-03-02T00:00:00Z') } })).toBe(true);
    expect(isAsOf(late, { happened: { instant: new Date('2026-02-28T00:00:00Z') } })).toBe(false);
  });

  it('given the same event, when cut on when it was recorded, then it counts only from its commit', () => {
    expect(isAsOf(late, { recorded: { instant: new Date('2026-03-02T00:00:00Z') } })).toBe(false);
    expect(isAsOf(late, { recorded: { instant: new Date('2026-03-03T10:00:00Z') } })).toBe(true);
  });

  it('cuts on positions inclusively on either clock, and on both cuts when both are given', () => {
    expect(isAsOf(late, { happened: { position: 10n } })).toBe(true);
    expect(isAsOf(late, { recorded: { position: 9n } })).toBe(false);
    expect(isAsOf(late, { happened: { instant: new Date('2026-03-02T00:00:00Z') }, recorded: { position: 9n } })).toBe(false);
    expect(isAsOf(late, {})).toBe(true);
  });

  it('tells the compatibility as it stood when the events happened', () => {
    const pair = { partId: SLIP_ON_ID, bikeId: MT07_ID };
    const confirmed = parseEvent('VerificationSubmitted', { verificationId: VERIFICATION_1, ...pair, userId: RIDER, fits: true });
    const refuted = parseEvent('VerificationSubmitted', { verificationId: VERIFICATION_2, ...pair, userId: OTHER_RIDER, fits: false });
    const history = [
      { event: confirmed, clocks: { position: 1n, occurredAt: '2026-03-01T10:00:00Z', recordedAt: new Date('2026-03-01T10:00:01Z') } },
      { event: refuted, clocks: { position: 2n, occurredAt: '2026-03-02T10:00:00+02:00', recordedAt: new Date('2026-03-02T08:00:01Z') } },
    ];
    const asOf = (cut: string) => compatibilityFromEvents(history.filter((h) => isAsOf(h.clocks, { happened: parseClockCut(cut, 'asOf') })).map((h) => h.event)).status;
    expect(asOf('2026-03-02T07:59:59Z')).toBe('community');
    expect(asOf('2026-03-02T08:00:00Z')).toBe('disputed');
    expect(asOf('1')).toBe('community');
  });
});
