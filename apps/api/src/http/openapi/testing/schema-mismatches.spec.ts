import { describe, expect, it } from '@jest/globals';
import { schemaMismatches, type SchemaDocument } from './schema-mismatches.js';

const document: SchemaDocument = {
  components: {
    schemas: {
      Offer: { type: 'object', properties: { priceCents: { type: 'integer' }, note: { type: 'string', nullable: true } }, required: ['priceCents', 'note'] },
    },
  },
};
const offers = { type: 'array' as const, items: { $ref: '#/components/schemas/Offer' } };

describe('schemaMismatches', () => {
  it('accepts an answer that has exactly the documented shape', () => {
    expect(schemaMismatches(document, offers, [{ priceCents: 100, note: null }])).toEqual([]);
  });

  it('names a missing field, a wrong type, an undocumented field and a null where none is allowed', () => {
    expect(schemaMismatches(document, offers, [{ note: 'x' }, { priceCents: 1.5, note: 3, extra: true }, null])).toEqual([
      'body[0].priceCents: required, absent',
      'body[1].priceCents: 1.5, not an integer',
      'body[1].note: number, not a string',
      'body[1].extra: not in the schema',
      'body[2]: null, not nullable',
    ]);
  });

  it('checks enums and free-form maps', () => {
    const schema = { type: 'object' as const, additionalProperties: { type: 'string' as const, enum: ['up', 'down'] } };
    expect(schemaMismatches(document, schema, { db: 'up', search: 'sideways' })).toEqual(['body.search: "sideways" not in ["up","down"]']);
  });
});
