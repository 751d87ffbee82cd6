import { describe, expect, it } from '@jest/globals';
import { partAttributeLines } from './part-attributes';

describe('partAttributeLines', () => {
  it('turns the catalog’s keys into words and its values into what a rider reads', () => {
    expect(partAttributeLines({ type: 'slip-on', homologated: true, tyreSize: '180/55 ZR17', weightGrams: 2450, heated: false })).toEqual([
      { key: 'type', label: 'Type', value: 'Slip-on' },
      { key: 'homologated', label: 'Homologated', value: 'Yes' },
      { key: 'tyreSize', label: 'Tyre size', value: '180/55 ZR17' },
      { key: 'weightGrams', label: 'Weight grams', value: '2,450' },
      { key: 'heated', label: 'Heated', value: 'No' },
    ]);
  });

  it('has nothing to show for a part without attributes', () => {
    expect(partAttributeLines(null)).toEqual([]);
    expect(partAttributeLines({})).toEqual([]);
  });
});
