/** The OpenAPI 3.0 schema features the API's document uses; enough to hold a real answer against it. */
export interface Schema {
  $ref?: string;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
}

export interface SchemaDocument {
  components?: { schemas?: Record<string, unknown> };
}

/**
 * Where `value` departs from `schema`, as `path: what` lines (none: it conforms). Strict on purpose:
 * a property the answer has and the schema does not list counts, so the document cannot fall behind
 * a handler that starts answering more.
 */
export function schemaMismatches(document: SchemaDocument, schema: Schema, value: unknown, path = 'body'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name] as Schema | undefined;
    return target ? schemaMismatches(document, target, value, path) : [`${path}: unknown schema ${schema.$ref}`];
  }
  if (value === null) return schema.nullable ? [] : [`${path}: null, not nullable`];
  if (schema.allOf) return schema.allOf.flatMap((part) => schemaMismatches(document, part, value, path));
  if (schema.oneOf) return schema.oneOf.some((part) => schemaMismatches(document, part, value, path).length === 0) ? [] : [`${path}: matches none of oneOf`];
  if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: ${typeof value}, not a string`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: ${typeof value}, not a number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: ${JSON.stringify(value)}, not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: ${typeof value}, not a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${path}: not an array`];
      return schema.items ? value.flatMap((item, i) => schemaMismatches(document, schema.items!, item, `${path}[${i}]`)) : [];
    case 'object':
    case undefined:
      return objectMismatches(document, schema, value, path);
  }
}

function objectMismatches(document: SchemaDocument, schema: Schema, value: unknown, path: string): string[] {
  if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: not an object`];
  const record = value as Record<string, unknown>;
  const properties = schema.properties ?? {};
  const missing = (schema.required ?? []).filter((name) => !(name in record)).map((name) => `${path}.${name}: required, absent`);
  const checked = Object.entries(record).flatMap(([name, field]) => {
    if (properties[name]) return schemaMismatches(document, properties[name], field, `${path}.${name}`);
    if (schema.additionalProperties === true) return [];
    if (typeof schema.additionalProperties === 'object') return schemaMismatches(document, schema.additionalProperties, field, `${path}.${name}`);
    return [`${path}.${name}: not in the schema`];
  });
  return [...missing, ...checked];
}
