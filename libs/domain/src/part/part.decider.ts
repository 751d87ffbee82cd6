import type { Decider } from '../decider.js';
import { ValidationFailed } from '../errors.js';
import type { DomainEvent, PartEvent } from '../events/domain-event.js';
import { validatedEventData } from '../events/parse-event.js';
import { canonicalJson } from '../identity/canonical-json.js';
import { partIdFor } from '../identity/deterministic-ids.js';
import type { CatalogPart, PartCommand } from './part.commands.js';
import type { PartCatalogedData, PartDetailsRevisedData } from './part.events.js';

export type PartState = { status: 'uncataloged' } | { status: 'cataloged'; part: PartCatalogedData };

export const partDecider: Decider<PartCommand, PartState, PartEvent> = {
  initialState: () => ({ status: 'uncataloged' }),

  evolve(state: PartState, event: DomainEvent): PartState {
    switch (event.type) {
      case 'PartCataloged':
        return { status: 'cataloged', part: event.data };
      case 'PartDetailsRevised': {
        if (state.status !== 'cataloged') return state;
        const { partId: _partId, ...revised } = event.data;
        return { status: 'cataloged', part: { ...state.part, ...revised } };
      }
      default:
        return state;
    }
  },

  decide(command: PartCommand, state: PartState): PartEvent[] {
    return catalogPart(command, state);
  },
};

function catalogPart(command: CatalogPart, state: PartState): PartEvent[] {
  const data = validatedEventData('PartCataloged', {
    partId: command.partId,
    sku: command.sku,
    brand: command.brand,
    name: command.name,
    // The schema rejects a key outside the vocabulary, naming the `category` field.
    category: command.category as PartCatalogedData['category'],
    description: command.description?.trim() || undefined,
    attributes: command.attributes,
  });
  const expectedId = partIdFor(data.sku);
  if (data.partId !== expectedId) {
    throw new ValidationFailed('partId', `must be the id derived from the sku (${expectedId})`);
  }

  if (state.status === 'uncataloged') return [{ type: 'PartCataloged', data }];

  const revised = changedDetails(state.part, data);
  return revised === undefined ? [] : [{ type: 'PartDetailsRevised', data: revised }];
}

/** The sku is the part's identity (same id, same normalised sku), so it is never "revised". */
function changedDetails(current: PartCatalogedData, incoming: PartCatalogedData): PartDetailsRevisedData | undefined {
  const changes: Omit<PartDetailsRevisedData, 'partId'> = {};
  if (incoming.brand !== current.brand) changes.brand = incoming.brand;
  if (incoming.name !== current.name) changes.name = incoming.name;
  if (incoming.category !== current.category) changes.category = incoming.category;
  if (incoming.description !== undefined && incoming.description !== current.description) {
    changes.description = incoming.description;
  }
  if (incoming.attributes !== undefined && canonicalJson(incoming.attributes) !== canonicalJson(current.attributes ?? null)) {
    changes.attributes = incoming.attributes;
  }
  return Object.keys(changes).length === 0 ? undefined : { partId: current.partId, ...changes };
}
