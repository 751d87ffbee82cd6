import type { Decider } from '../decider.js';
import { NotFound, ValidationFailed } from '../errors.js';
import type { DomainEvent, PriceEvent } from '../events/domain-event.js';
import { validatedEventData } from '../events/parse-event.js';
import { hourOf, priceObservationEventId } from '../identity/deterministic-ids.js';
import type { ObservePrice, PriceCommand } from './price.commands.js';

/**
 * The UTC hours (`hourOf`) that already have an observation in the stream. A back-fill may bring any
 * earlier hour again, so the handler folds the whole stream (one event per hour: ~8,800 a year).
 */
export interface PriceState {
  /** Newest first. A list that evolve extends without copying, so a fold stays linear in the stream. */
  recorded?: RecordedHour;
}

export interface RecordedHour {
  hour: string;
  earlier?: RecordedHour;
}

export function hasObservationFor(state: PriceState, hour: string): boolean {
  for (let node = state.recorded; node; node = node.earlier) if (node.hour === hour) return true;
  return false;
}

/** Feeds' clocks drift; an observation up to this far ahead of the handler's clock is accepted. */
export const PRICE_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const priceDecider: Decider<PriceCommand, PriceState, PriceEvent> = {
  initialState: () => ({}),

  evolve(state: PriceState, event: DomainEvent): PriceState {
    if (event.type !== 'PriceObserved') return state;
    return { recorded: { hour: hourOf(event.data.observedAt), ...(state.recorded ? { earlier: state.recorded } : {}) } };
  },

  decide(command: PriceCommand, state: PriceState): PriceEvent[] {
    return observePrice(command, state);
  },
};

/**
 * One observation per (part, retailer, UTC hour), and the first one of an hour wins: a second one for
 * an hour already in the stream, identical or not, the latest hour or any earlier one (a job or a
 * back-fill re-running), appends nothing. The decision is made here, not left to the store dropping
 * a replay: the event id, derived from the triple, is only the last line of defence.
 */
function observePrice(command: ObservePrice, state: PriceState): PriceEvent[] {
  const now = Date.parse(command.now);
  if (Number.isNaN(now)) throw new ValidationFailed('now', 'must be an ISO-8601 instant');
  const observedAtMillis = Date.parse(command.observedAt);
  const data = validatedEventData('PriceObserved', {
    partId: command.partId,
    retailerId: command.retailerId,
    priceCents: command.priceCents,
    currency: command.currency,
    inStock: command.inStock,
    url: command.url,
    // Stored in UTC so read models can compare and truncate instants as strings.
    observedAt: Number.isNaN(observedAtMillis) ? command.observedAt : new Date(observedAtMillis).toISOString(),
    source: command.source,
  });
  if (observedAtMillis > now + PRICE_CLOCK_SKEW_MS) throw new ValidationFailed('observedAt', 'is in the future');
  if (!command.partExists) throw new NotFound('part', data.partId);
  if (!command.retailerExists) throw new NotFound('retailer', data.retailerId);

  if (hasObservationFor(state, hourOf(data.observedAt))) return [];
  return [{ type: 'PriceObserved', data, eventId: priceObservationEventId(data.partId, data.retailerId, data.observedAt) }];
}
