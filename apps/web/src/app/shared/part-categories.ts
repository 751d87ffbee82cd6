/** Labels for the category vocabulary of DESIGN §4 (the keys live in libs/domain). */
export const PART_CATEGORY_LABELS: Readonly<Record<string, string>> = {
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
};

export function categoryLabel(key: string): string {
  return PART_CATEGORY_LABELS[key] ?? key.replace(/-/g, ' ');
}
