/**
 * The one vocabulary of part categories (DESIGN §4). Import files, URLs and events use the keys;
 * people see the labels. Adding a key is a deliberate change: projections and facets list these.
 */
export const PART_CATEGORY_LABELS = {
  exhaust: 'Exhaust',
  'brake-pads': 'Brake pads',
  'brake-rotors': 'Brake rotors',
  'chain-sprocket-kits': 'Chain & sprocket kits',
  tyres: 'Tyres',
  windscreens: 'Windscreens',
  'frame-sliders': 'Frame sliders',
  'crash-bars': 'Crash bars',
  'luggage-racks': 'Luggage racks',
  seats: 'Seats',
  'air-filters': 'Air filters',
  'oil-filters': 'Oil filters',
  levers: 'Levers',
  mirrors: 'Mirrors',
  lighting: 'Lighting',
  batteries: 'Batteries',
  'spark-plugs': 'Spark plugs',
  handlebars: 'Handlebars',
  footpegs: 'Footpegs',
  suspension: 'Suspension',
} as const;

export type PartCategory = keyof typeof PART_CATEGORY_LABELS;

export const PART_CATEGORIES = Object.keys(PART_CATEGORY_LABELS) as readonly PartCategory[];

/** A bike carries one part at a time from each of these categories (two exhausts is a warning). */
export const SINGLE_SLOT_CATEGORIES: ReadonlySet<PartCategory> = new Set<PartCategory>([
  'exhaust',
  'windscreens',
  'seats',
  'handlebars',
  'suspension',
]);

export function isPartCategory(key: unknown): key is PartCategory {
  return typeof key === 'string' && Object.hasOwn(PART_CATEGORY_LABELS, key);
}

export function isSingleSlotCategory(category: PartCategory): boolean {
  return SINGLE_SLOT_CATEGORIES.has(category);
}

export function partCategoryLabel(category: PartCategory): string {
  return PART_CATEGORY_LABELS[category];
}
