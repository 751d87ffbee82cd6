import { describe, expect, it } from '@jest/globals';
import { scanJsonShape } from './json-shape-scan.js';

const limits = { maxDepth: 4, maxKeysPerObject: 3 };
const scan = (json: string) => scanJsonShape(Buffer.from(json), limits);

describe('scanJsonShape', () => {
  it('accepts objects up to the key limit, however long the arrays', () => {
    expect(scan(JSON.stringify({ a: 1, b: [1, 2, 3, 4, 5, 6], c: { x: 1, y: 2, z: 3 } }))).toBeUndefined();
  });

  it('refuses an object with one key too many', () => {
    expect(scan('{"a":1,"b":2,"c":3,"d":4}')).toEqual({ field: 'body', message: 'has an object with more than 3 keys' });
  });

  it('counts keys per object, not per body', () => {
    expect(scan(JSON.stringify([{ a: 1, b: 2, c: 3 }, { a: 1, b: 2, c: 3 }]))).toBeUndefined();
  });

  it('ignores colons, braces and escaped quotes inside strings', () => {
    expect(scan(JSON.stringify({ a: 'x:y:z:w {{{{{ [[[[[', b: 'say \\"a:b\\" :: "c:d"' }))).toBeUndefined();
  });

  it('refuses nesting deeper than the limit', () => {
    expect(scan('[[[[1]]]]')).toBeUndefined();
    expect(scan('[[[[[1]]]]]')).toEqual({ field: 'body', message: 'must not be nested deeper than 4 levels' });
  });
});
