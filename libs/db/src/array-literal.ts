/**
 * PostgreSQL array literals (`{"a","b",NULL}`) for the array parameters of the projections'
 * multi-row `unnest` statements, built in one pass. node-postgres converts an array element by
 * element (each through its generic value conversion and two regular-expression replaces); a bulk
 * batch sends tens of thousands of elements per statement, so that conversion showed in the
 * projector's profile. Only arrays of strings, numbers, bigints, booleans and nulls (nested
 * arrays of them too) are converted here; anything else (dates, buffers, objects) is left to
 * node-postgres, which then does exactly what it did before.
 */
export function arrayLiteral(values: readonly unknown[]): string | undefined {
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ',';
    const element = elementLiteral(values[index]);
    if (element === undefined) return undefined;
    literal += element;
  }
  return `${literal}}`;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

function elementLiteral(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      // Always quoted: an empty string, `NULL`, or text with commas, braces or spaces stays text.
      return `"${NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, '\\$&') : value}"`;
    case 'number':
    case 'bigint':
      // Also NaN and ±Infinity, which a float array reads as such; the same text node-postgres sends.
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return Array.isArray(value) ? arrayLiteral(value) : undefined;
  }
}

/** A query's parameters with every array this module can write replaced by its literal. */
export function withArrayLiterals(values: readonly unknown[]): unknown[] {
  return values.map((value) => (Array.isArray(value) ? (arrayLiteral(value) ?? value) : value));
}
