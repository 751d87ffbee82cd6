import type { Decider } from '../decider.js';
import { NotFound, ValidationFailed } from '../errors.js';
import type { DomainEvent, PriceEvent } from '../events/domain-event.js';
import { validatedEventData } from '../events/parse-event.js';
import { hourOf, priceObservationEventId } from '../identity/deterministic-ids.js';
import type { ObservePrice, PriceCommand } from './price.commands.js';

/**
 * Only the newest observation matters for deciding, so a handler may fold just the stream's last
 * event (read backwards, maxCount 1) instead of the whole history.
 */
export interface PriceState {
  latest?: { observedAt: string; hour: string };
}

/** Feeds' clocks drift; an observation up to this far ahead of the handler's clock is accepted. */
export const PRICE_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const priceDecider: Decider<PriceCommand, PriceState, PriceEvent> = {
  initialState: () => ({}),

  evolve(state: PriceState, event: DomainEvent): PriceState {
    if (event.type !== 'PriceObserved') return state;
    const { observedAt } = event.data;
    if (state.latest && Date.parse(state.latest.observedAt) >= Date.parse(observedAt)) return state;
    return { latest: { observedAt, hour: hourOf(observedAt) } };
  },

  decide(command: PriceCommand, state: PriceState): PriceEvent[] {
    return observePrice(command, state);
  },
};

/**
 * One observation per (part, retailer, UTC hour): the event id is derived from that triple, and
 * the first observation of an hour wins. A second one in the latest recorded hour, identical or
 * not, appends nothing (the job re-running, or a price change that the next hour's run records).
 * An observation for an earlier hour (a back-fill) is emitted; if that hour was already recorded,
 * its derived event id makes the store's idempotent append drop it.
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

  if (state.latest?.hour === hourOf(data.observedAt)) return [];
  return [{ type: 'PriceObserved', data, eventId: priceObservationEventId(data.partId, data.retailerId, data.observedAt) }];
}
