import fc from 'fast-check';

/** An object whose keys are kept as given, `__proto__` included, when serialised by `hostileJson`. */
export class RawObject {
  constructor(readonly entries: [string, unknown][]) {}
}

/** JSON text for a generated value, writing RawObject keys as own keys (JSON.stringify cannot write `__proto__`). */
export function hostileJson(value: unknown): string {
  if (value instanceof RawObject) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${hostileJson(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(hostileJson).join(',')}]`;
  if (typeof value === 'number' && !Number.isFinite(value)) return '1e999';
  return JSON.stringify(value) ?? 'null';
}

export const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  '1; SELECT pg_sleep(5)',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil',
  '🏍️👩🏽‍🔧',
  'Ǆ̸̢̛̳̱ͅ',
  '${7*7}',
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999999',
  '0x7fffffff',
  'null',
  'true',
  '[]',
  '{}',
  ' ',
  '',
  '%',
  '%zz',
  'W/"1"',
  '2021-02-30T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** A hostile text of any size up to `maxLength`. */
export const hostileString = (maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'é', '🏍', '\u0000', "'"), fc.integer({ min: 100, max: maxLength })).map(([c, n]) => c.repeat(Math.max(1, Math.floor(n / c.length)))) },
  );

/** Any JSON value, with hostile strings, odd numbers, prototype keys and nesting. */
export function hostileValue(knownKeys: readonly string[], maxString = 20_000): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom(...knownKeys, ...PROTOTYPE_KEYS), fc.string({ maxLength: 12 }));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString(maxString),
      fc.integer(),
      fc.double(),
      fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, Infinity),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => new RawObject(entries)),
    ),
  }));
  return value;
}

/** A body for a route: its own fields with hostile values (plus strangers), or something else entirely. */
export function hostileBody(fields: readonly string[]): fc.Arbitrary<string> {
  const asObject = fc
    .tuple(
      fc.subarray([...fields]).chain((chosen) => fc.tuple(...chosen.map((f) => hostileValue(fields).map((v) => [f, v] as [string, unknown])))),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 12 })), hostileValue(fields)), { maxLength: 3 }),
    )
    .map(([own, strangers]) => hostileJson(new RawObject([...own, ...strangers])));
  const deep = fc.integer({ min: 50, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));
  const deepObject = fc.integer({ min: 50, max: 5000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
  return fc.oneof(
    { weight: 6, arbitrary: asObject },
    { weight: 2, arbitrary: hostileValue(fields).map(hostileJson) },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: deepObject },
    { weight: 1, arbitrary: hostileString(400_000) },
  );
}
