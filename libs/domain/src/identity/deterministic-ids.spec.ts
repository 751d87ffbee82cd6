import { describe, expect, it } from '@jest/globals';
import { bikeIdFor, commandEventId, hourOf, partIdFor, priceObservationEventId, retailerIdFor } from './deterministic-ids.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deterministic ids', () => {
  it('gives the same bike the same id whatever the case, spacing or punctuation', () => {
    expect(bikeIdFor(2021, 'Yamaha', 'MT-07')).toMatch(UUID_V5);
    expect(bikeIdFor(2021, ' yamaha ', 'mt 07')).toBe(bikeIdFor(2021, 'Yamaha', 'MT-07'));
  });

  it('gives other years and trims other bike ids', () => {
    const base = bikeIdFor(2021, 'Yamaha', 'MT-07');
    expect(bikeIdFor(2022, 'Yamaha', 'MT-07')).not.toBe(base);
    expect(bikeIdFor(2021, 'Yamaha', 'MT-07', 'Pure')).not.toBe(base);
  });

  it('identifies a part by its normalised sku', () => {
    expect(partIdFor(' s-y7so3 hapt')).toBe(partIdFor('S-Y7SO3HAPT'));
    expect(partIdFor('S-Y7SO3-HAPT')).not.toBe(partIdFor('SY7SO3HAPT'));
  });

  it('identifies a retailer by its name, case-insensitively', () => {
    expect(retailerIdFor('RevZilla')).toBe(retailerIdFor(' revzilla '));
  });

  it('keeps ids of different kinds apart', () => {
    expect(partIdFor('REVZILLA')).not.toBe(retailerIdFor('REVZILLA'));
  });

  it('truncates an instant to its UTC hour', () => {
    expect(hourOf('2025-06-01T12:59:59.999+02:00')).toBe('2025-06-01T10:00:00.000Z');
  });

  it('derives one price observation id per part, retailer and hour', () => {
    const id = priceObservationEventId('p', 'r', '2025-06-01T10:00:00Z');
    expect(priceObservationEventId('p', 'r', '2025-06-01T10:59:59Z')).toBe(id);
    expect(priceObservationEventId('p', 'r', '2025-06-01T11:00:00Z')).not.toBe(id);
    expect(priceObservationEventId('p', 'r2', '2025-06-01T10:00:00Z')).not.toBe(id);
  });

  it('derives command ids that cannot collide by moving a separator', () => {
    expect(commandEventId('submit', 'a:b', 'c')).not.toBe(commandEventId('submit', 'a', 'b:c'));
    expect(commandEventId('submit', 'user-1', 'key-1')).toBe(commandEventId('submit', 'user-1', 'key-1'));
  });
});
