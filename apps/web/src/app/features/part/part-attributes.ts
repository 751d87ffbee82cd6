/** One line of a part's details as a rider reads it: "Type: Slip-on", "Homologated: Yes". */
export interface PartAttributeLine {
  key: string;
  label: string;
  value: string;
}

/**
 * The attributes the catalog keeps per part (free keys such as `type`, `homologated`, `tyreSize`,
 * `weightGrams`) in the order the catalog gave them: keys become words, booleans Yes/No, and a
 * value's first letter is capitalised so "slip-on" reads as "Slip-on".
 */
export function partAttributeLines(attributes: Record<string, string | number | boolean> | null | undefined): PartAttributeLine[] {
  return Object.entries(attributes ?? {}).map(([key, value]) => ({ key, label: labelOf(key), value: valueOf(value) }));
}

function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueOf(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return value.toLocaleString('en-US');
  return value.charAt(0).toUpperCase() + value.slice(1);
}
