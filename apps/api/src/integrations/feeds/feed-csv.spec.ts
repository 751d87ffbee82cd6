import { describe, expect, it } from '@jest/globals';
import { CsvFormatError, parseCsvRecords } from './feed-csv.js';

describe('parseCsvRecords', () => {
  it('reads records by the header, with quoted fields, doubled quotes, commas and line breaks inside quotes', () => {
    const text = 'sku,name,priceCents\r\nFA252HH,"Pads, ""HH""",4499\r\n"X-1","two\nlines",100\n';
    expect(parseCsvRecords(text)).toEqual([
      { sku: 'FA252HH', name: 'Pads, "HH"', priceCents: '4499' },
      { sku: 'X-1', name: 'two\nlines', priceCents: '100' },
    ]);
  });

  it('skips blank lines and a byte-order mark, and fills missing trailing cells with empty text', () => {
    expect(parseCsvRecords('\uFEFFsku,url\n\nA\n')).toEqual([{ sku: 'A', url: '' }]);
  });

  it('refuses an unclosed quote or a quote inside an unquoted field', () => {
    expect(() => parseCsvRecords('sku\n"open')).toThrow(CsvFormatError);
    expect(() => parseCsvRecords('sku\nab"c')).toThrow(CsvFormatError);
  });
});
