import type { CompatibilityStatus } from '@mpp/domain';
import type { FittedBike, SearchDocument } from '@mpp/search';

/** mulberry32: a tiny seeded PRNG, so every run generates the same catalog. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS: readonly [make: string, model: string][] = [
  ['Yamaha', 'MT-07'], ['Yamaha', 'MT-09'], ['Yamaha', 'Tenere 700'], ['Yamaha', 'YZF-R1'], ['Yamaha', 'Tracer 9'],
  ['Kawasaki', 'Ninja 400'], ['Kawasaki', 'Ninja 650'], ['Kawasaki', 'Z900'], ['Kawasaki', 'Versys 650'], ['Kawasaki', 'ZX-10R'],
  ['Honda', 'CBR650R'], ['Honda', 'CB650R'], ['Honda', 'Africa Twin'], ['Honda', 'CB500X'], ['Honda', 'Rebel 500'],
  ['BMW', 'R 1250 GS'], ['BMW', 'S 1000 RR'], ['BMW', 'F 900 R'], ['BMW', 'R nineT'], ['BMW', 'F 850 GS'],
  ['KTM', '390 Duke'], ['KTM', '790 Adventure'], ['KTM', '1290 Super Duke R'], ['Triumph', 'Street Triple'], ['Triumph', 'Tiger 900'],
  ['Ducati', 'Monster'], ['Ducati', 'Panigale V4'], ['Ducati', 'Multistrada V4'], ['Suzuki', 'SV650'], ['Suzuki', 'V-Strom 650'],
  ['Suzuki', 'GSX-S750'], ['Aprilia', 'Tuono 660'], ['Aprilia', 'RS 660'], ['Royal Enfield', 'Himalayan'], ['Harley-Davidson', 'Pan America'],
];
const YEARS = Array.from({ length: 16 }, (_, i) => 2010 + i);

const CATEGORY_NAMES: Record<string, readonly string[]> = {
  exhaust: ['Slip-On Line', 'Full System', 'Racing Silencer', 'Link Pipe', 'GP Exhaust'],
  'brake-pads': ['Sintered Brake Pads', 'HH Brake Pads', 'Organic Brake Pads', 'Track Brake Pads'],
  'brake-rotors': ['Wave Brake Rotor', 'Floating Disc', 'Front Brake Disc'],
  'chain-sprocket-kits': ['Chain and Sprocket Kit', 'X-Ring Chain Kit', 'Steel Sprocket Set'],
  tyres: ['Sport Tyre', 'Touring Tyre', 'Adventure Tyre', 'Track Tyre'],
  windscreens: ['Racing Screen', 'Touring Windscreen', 'Sport Screen'],
  'frame-sliders': ['Frame Sliders', 'Aero Crash Protectors', 'Crash Mushrooms'],
  'crash-bars': ['Crash Bars', 'Engine Guard', 'Upper Crash Bars'],
  'luggage-racks': ['Luggage Rack', 'Top Case Rack', 'Side Carrier'],
  seats: ['Comfort Seat', 'Low Seat', 'Rally Seat'],
  'air-filters': ['Air Filter', 'Race Air Filter'],
  'oil-filters': ['Oil Filter', 'Racing Oil Filter'],
  levers: ['Adjustable Levers', 'Folding Levers', 'Shorty Levers'],
  mirrors: ['Bar End Mirrors', 'Folding Mirrors'],
  lighting: ['LED Indicators', 'Auxiliary Lights', 'LED Headlight'],
  batteries: ['Lithium Battery', 'AGM Battery'],
  'spark-plugs': ['Iridium Spark Plug', 'Platinum Spark Plug'],
  handlebars: ['Tapered Handlebar', 'Fatbar Handlebar'],
  footpegs: ['Rally Footpegs', 'Rearsets', 'Wide Footpegs'],
  suspension: ['Rear Shock', 'Fork Cartridge Kit', 'Progressive Fork Springs'],
};
const CATEGORIES = Object.keys(CATEGORY_NAMES);
const BRANDS = [
  'Akrapovič', 'SC-Project', 'Arrow', 'Yoshimura', 'Leovince', 'EBC', 'Brembo', 'Galfer', 'SBS', 'DID', 'Renthal', 'Pirelli',
  'Michelin', 'Metzeler', 'Puig', 'MRA', 'R&G', 'Womet-Tech', 'SW-Motech', 'Givi', 'Touratech', 'Sargent', 'Corbin', 'K&N',
  'BMC', 'HiFlo', 'ASV', 'CRG', 'Rizoma', 'Öhlins', 'Wilbers', 'Hyperpro', 'Denali', 'Kellermann', 'Shorai', 'NGK', 'Pro Taper',
  'Pazzo', 'Gilles Tooling', 'Evotech',
];
const MATERIALS = ['titanium', 'stainless steel', 'carbon fibre', 'aluminium', 'billet', 'sintered', 'forged', 'anodised'];
const CLAIMS = ['lighter than stock', 'bolt-on fitment', 'track tested', 'road legal', 'includes hardware', 'two year warranty', 'made in Europe'];
const STATUSES: readonly [CompatibilityStatus, number][] = [['verified', 0.55], ['community', 0.25], ['disputed', 0.1], ['no_data', 0.1]];

export interface BenchBike extends Pick<FittedBike, 'bikeId' | 'label'> {
  make: string;
  model: string;
  year: number;
}

export interface BenchCatalog {
  bikes: BenchBike[];
  /** Yields the documents in batches, so 100,000 never sit in memory at once. */
  documents(batchSize: number): Generator<SearchDocument[]>;
  /** SKUs of a sample of parts (for the exact-SKU queries). */
  sampleSkus: string[];
}

const uuid = (prefix: number, n: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * A deterministic catalog shaped like a real one: each part fits one model over a run of years
 * (sometimes a second model too), brands and categories skewed, most parts priced.
 */
export function generateCatalog(parts: number, seed = 42): BenchCatalog {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const bikes: BenchBike[] = MODELS.flatMap(([make, model], m) =>
    YEARS.map((year, y) => ({ bikeId: uuid(1, m * 100 + y), label: `${year} ${make} ${model}`, make, model, year })),
  );
  const bikesOfModel = (m: number) => bikes.slice(m * YEARS.length, (m + 1) * YEARS.length);
  const status = (): CompatibilityStatus => {
    let r = random();
    for (const [value, weight] of STATUSES) if ((r -= weight) < 0) return value;
    return 'no_data';
  };
  const sampleSkus: string[] = [];

  function document(n: number): SearchDocument {
    const category = pick(CATEGORIES);
    // Skewed: the first brands are far more common, as in a real catalog.
    const brand = BRANDS[Math.floor(random() ** 2 * BRANDS.length)]!;
    const models = [Math.floor(random() * MODELS.length), ...(random() < 0.3 ? [Math.floor(random() * MODELS.length)] : [])];
    const fitted = models.flatMap((m) => {
      const years = bikesOfModel(m);
      const from = Math.floor(random() * years.length);
      const span = 1 + Math.floor(random() * 6);
      return years.slice(from, from + span);
    });
    const unique = [...new Map(fitted.map((b) => [b.bikeId, b])).values()].sort((a, b) => a.label.localeCompare(b.label));
    const bikeEntries: FittedBike[] = unique.map((b) => {
      const s = status();
      const confirmations = s === 'community' ? 1 + Math.floor(random() * 8) : s === 'verified' ? Math.floor(random() * 4) : 0;
      const refutations = s === 'disputed' ? 1 + Math.floor(random() * 3) : 0;
      return { bikeId: b.bikeId, label: b.label, status: s, confirmations, refutations };
    });
    const [make, model] = MODELS[models[0]!]!;
    const modelCode = model.replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 6);
    const sku = `${brand.replace(/[^A-Za-z]/g, '').slice(0, 2).toUpperCase()}${modelCode}-${n.toString(36).toUpperCase()}`;
    if (n % 997 === 0) sampleSkus.push(sku);
    const priced = random() < 0.9;
    const bestPriceCents = priced ? 1_000 + Math.floor(random() * 150_000) : null;
    return {
      id: uuid(2, n),
      slug: `${brand}-${pick(CATEGORY_NAMES[category]!)}-${n}`.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      sku,
      brand,
      name: `${pick(CATEGORY_NAMES[category]!)} ${pick(MATERIALS)} for ${make} ${model}`,
      category,
      description: `${pick(MATERIALS)} ${category.replace('-', ' ')}, ${pick(CLAIMS)}, ${pick(CLAIMS)}.`,
      bikes: bikeEntries,
      bestPriceCents,
      currency: priced ? 'USD' : null,
      bestPrices: bestPriceCents === null ? {} : { USD: bestPriceCents },
      inStock: priced ? random() < 0.8 : null,
      confirmations: bikeEntries.reduce((sum, b) => sum + b.confirmations, 0),
      refutations: bikeEntries.reduce((sum, b) => sum + b.refutations, 0),
      updatedPosition: n,
    };
  }

  return {
    bikes,
    sampleSkus,
    *documents(batchSize) {
      for (let start = 1; start <= parts; start += batchSize) {
        yield Array.from({ length: Math.min(batchSize, parts - start + 1) }, (_, i) => document(start + i));
      }
    },
  };
}
