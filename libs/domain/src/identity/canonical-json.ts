import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON: keys sorted, no whitespace, ECMAScript number and string forms.
 * The hash chain of fitment streams is defined over it, so it must never change shape.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('cannot canonicalise undefined, a function or a symbol');
  return text;
}
