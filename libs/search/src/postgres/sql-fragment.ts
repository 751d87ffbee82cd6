import type { Knex } from 'knex';

/** A piece of parameterised SQL: its text with `?` placeholders and their values, in order. */
export interface SqlFragment {
  readonly text: string;
  readonly values: readonly Knex.Value[];
}

/** Template tag: interpolated fragments are spliced in, anything else becomes a `?` parameter. */
export function sql(strings: TemplateStringsArray, ...parts: (SqlFragment | Knex.Value)[]): SqlFragment {
  let text = strings[0];
  const values: Knex.Value[] = [];
  parts.forEach((part, i) => {
    if (isFragment(part)) {
      text += part.text;
      values.push(...part.values);
    } else {
      text += '?';
      values.push(part);
    }
    text += strings[i + 1];
  });
  return { text, values };
}

/** Trusted SQL text (identifiers we built ourselves, keywords); never user input. */
export const raw = (text: string): SqlFragment => ({ text, values: [] });

export function joinSql(fragments: readonly SqlFragment[], separator: string): SqlFragment {
  return { text: fragments.map((f) => f.text).join(separator), values: fragments.flatMap((f) => f.values) };
}

export const TRUE = raw('true');

export function and(fragments: readonly (SqlFragment | undefined)[]): SqlFragment {
  const present = fragments.filter((f): f is SqlFragment => f !== undefined);
  return present.length === 0 ? TRUE : joinSql(present.map((f) => sql`(${f})`), ' AND ');
}

function isFragment(value: unknown): value is SqlFragment {
  return typeof value === 'object' && value !== null && 'text' in value && 'values' in value && !(value instanceof Date) && !Array.isArray(value);
}
