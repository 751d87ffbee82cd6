import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './canonical-json.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys at every depth and leaves no whitespace', () => {
    expect(canonicalJson({ z: { b: [1, { y: 2, x: null }], a: 'é' }, a: true })).toBe('{"a":true,"z":{"a":"é","b":[1,{"x":null,"y":2}]}}');
  });

  it('gives the same text whatever order the keys were written in', () => {
    expect(canonicalJson({ type: 'T', data: { fits: true, notes: 'n' }, revision: 3 })).toBe(
      canonicalJson({ revision: 3, data: { notes: 'n', fits: true }, type: 'T' }),
    );
  });

  it('writes numbers in their shortest ECMAScript form', () => {
    expect(canonicalJson({ big: 1e21, small: 1e-7, negZero: -0, int: 100 })).toBe('{"big":1e+21,"int":100,"negZero":0,"small":1e-7}');
  });

  it('refuses undefined at the top', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
