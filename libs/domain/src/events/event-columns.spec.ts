import { describe, expect, it } from '@jest/globals';
import { DOMAIN_EVENT_TYPES } from './domain-event.js';
import { EVENT_ENVELOPE_COLUMNS, eventDataColumns, eventTableName, snakeCase } from './event-columns.js';

describe('event columns', () => {
  it('names tables and columns in snake case', () => {
    expect(eventTableName('VerificationSubmitted')).toBe('verification_submitted');
    expect(eventTableName('PriceObserved')).toBe('price_observed');
    expect(snakeCase('engineCc')).toBe('engine_cc');
    expect(snakeCase('baseUrl')).toBe('base_url');
  });

  it('types each data member from its schema: ids, money, times, booleans, nested values', () => {
    expect(eventDataColumns('PriceObserved')).toEqual([
      { field: 'partId', name: 'part_id', kind: 'uuid', nullable: false },
      { field: 'retailerId', name: 'retailer_id', kind: 'uuid', nullable: false },
      { field: 'priceCents', name: 'price_cents', kind: 'bigint', nullable: false },
      { field: 'currency', name: 'currency', kind: 'text', nullable: false },
      { field: 'inStock', name: 'in_stock', kind: 'boolean', nullable: false },
      { field: 'url', name: 'url', kind: 'text', nullable: false },
      { field: 'observedAt', name: 'observed_at', kind: 'timestamptz', nullable: false },
      { field: 'source', name: 'source', kind: 'text', nullable: false },
    ]);
    expect(eventDataColumns('BikeRegistered').find((c) => c.field === 'year')).toEqual({ field: 'year', name: 'year', kind: 'integer', nullable: false });
    expect(eventDataColumns('BikeRegistered').find((c) => c.field === 'trim')).toMatchObject({ kind: 'text', nullable: true });
    expect(eventDataColumns('BuildUpdated').find((c) => c.field === 'parts')).toMatchObject({ kind: 'json' });
  });

  it('keeps a data member that shares an envelope column\'s name apart from it', () => {
    expect(eventDataColumns('BuildUpdated').find((c) => c.field === 'revision')).toMatchObject({ name: 'data_revision', kind: 'bigint' });
  });

  it('gives every member of every event type a column, and no name twice in one row', () => {
    for (const type of DOMAIN_EVENT_TYPES) {
      const names = [...EVENT_ENVELOPE_COLUMNS, ...eventDataColumns(type)].map((c) => c.name);
      expect({ type, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ type, duplicates: [] });
    }
  });
});
