import { describe, expect, it } from '@jest/globals';
import { InvalidEvent, ValidationFailed } from '../errors.js';
import { MT07_ID } from '../testing/catalog-fixtures.js';
import { errorOf } from '../testing/given-events.js';
import { DOMAIN_EVENT_TYPES } from './domain-event.js';
import { parseEvent, validatedEventData } from './parse-event.js';

describe('parseEvent', () => {
  it('knows the fourteen v1 event types', () => {
    expect(DOMAIN_EVENT_TYPES).toHaveLength(14);
  });

  it('reads a stored event into the typed union', () => {
    const event = parseEvent('BikeRegistered', { bikeId: MT07_ID, year: 2021, make: 'Yamaha', model: 'MT-07' });
    expect(event).toEqual({ type: 'BikeRegistered', data: { bikeId: MT07_ID, year: 2021, make: 'Yamaha', model: 'MT-07' } });
  });

  it('rejects an unknown event type', () => {
    expect(() => parseEvent('BikeStolen', {})).toThrow(InvalidEvent);
  });

  it('rejects data that does not match the schema, naming the field', () => {
    const error = errorOf(() => parseEvent('PriceObserved', { partId: MT07_ID }));
    expect(error).toBeInstanceOf(InvalidEvent);
    expect((error as InvalidEvent).issues.map((issue) => issue.field)).toContain('data.retailerId');
  });

  it('rejects a PartDetailsRevised that changes nothing', () => {
    expect(() => parseEvent('PartDetailsRevised', { partId: MT07_ID })).toThrow(InvalidEvent);
  });

  it('reports a command that would produce invalid event data as a validation failure', () => {
    expect(() => validatedEventData('BuildDeleted', { buildId: 'not-a-uuid' })).toThrow(ValidationFailed);
  });
});
