import { bikeIdFor, partIdFor, retailerIdFor, type PartCategory } from '@mpp/domain';
import { DEMO_UNOFFICIAL_FITMENT, expandFitment, type CatalogImportBody, type DemoPart, type DemoRetailer, type UnofficialFitmentClaim } from './demo-catalog.js';

/**
 * The demo's history: price observations over the last month and community verifications, as
 * the request bodies `seedDemo` posts. Deterministic: the same catalog, seed and `now` give the
 * same output (no Math.random, no clock). Verifications do not depend on `now` at all, so a
 * later re-run sends byte-identical bodies under the same Idempotency-Keys.
 */

export const DEMO_SEED = 20240607;

/** mulberry32: a tiny 32-bit PRNG, good enough to make demo data look varied. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Prices

/** The body of `POST /api/admin/prices`. */
export interface PriceObservationBody {
  partId: string;
  retailerId: string;
  priceCents: number;
  currency: string;
  inStock: boolean;
  url: string;
  observedAt: string;
}

/** One retailer's observations of one part, oldest first (the order they must be posted in). */
export interface PriceSeries {
  sku: string;
  retailer: string;
  observations: PriceObservationBody[];
}

interface RetailerPricing {
  currency: string;
  /** From the EUR list price to this retailer's shelf price, currency included. */
  factor: number;
  /** Sells consumables and small parts only, not exhausts, seats or suspension. */
  consumablesOnly: boolean;
}

const RETAILER_PRICING: Record<string, RetailerPricing> = {
  RevZilla: { currency: 'USD', factor: 1.1, consumablesOnly: false },
  'Sportsbike Shop': { currency: 'GBP', factor: 0.86, consumablesOnly: false },
  'FC-Moto': { currency: 'EUR', factor: 0.97, consumablesOnly: false },
  Louis: { currency: 'EUR', factor: 1.02, consumablesOnly: false },
  'J&S Accessories': { currency: 'GBP', factor: 0.84, consumablesOnly: false },
  'Cycle Gear': { currency: 'USD', factor: 1.12, consumablesOnly: false },
  Amazon: { currency: 'USD', factor: 1.05, consumablesOnly: true },
};

const CONSUMABLES: ReadonlySet<PartCategory> = new Set<PartCategory>(['brake-pads', 'air-filters', 'oil-filters', 'batteries', 'spark-plugs', 'levers', 'mirrors', 'lighting', 'tyres']);

/** Typical EUR list prices per category, in euros. */
const LIST_PRICE_EUR: Record<PartCategory, [number, number]> = {
  exhaust: [480, 950],
  'brake-pads': [28, 55],
  'brake-rotors': [190, 420],
  'chain-sprocket-kits': [130, 260],
  tyres: [140, 230],
  windscreens: [80, 190],
  'frame-sliders': [65, 140],
  'crash-bars': [220, 460],
  'luggage-racks': [110, 260],
  seats: [380, 820],
  'air-filters': [45, 90],
  'oil-filters': [9, 16],
  levers: [150, 320],
  mirrors: [60, 240],
  lighting: [90, 650],
  batteries: [70, 190],
  'spark-plugs': [8, 22],
  handlebars: [90, 420],
  footpegs: [140, 330],
  suspension: [780, 1500],
};

const PREMIUM_BRANDS: Record<string, number> = { Akrapovic: 1.3, 'Öhlins': 1.25, Rizoma: 1.2, Brembo: 1.15, Corbin: 1.1 };

/** Each series' last observation is this fresh, except STALE_SHARE of them, which are a day or more old. */
const FRESH_WITHIN_HOURS = 12;
const STALE_SHARE = 0.1;
const HISTORY_DAYS = 30;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function listPriceEur(part: DemoPart, random: () => number): number {
  const [low, high] = LIST_PRICE_EUR[part.category];
  let price = low + (high - low) * random();
  if (part.attributes?.type === 'full-system') price *= 2.4;
  if (part.attributes?.type === 'fork springs') price *= 0.2;
  if (part.attributes?.position === 'rear' && part.category === 'tyres') price *= 1.2;
  return price * (PREMIUM_BRANDS[part.brand] ?? 1);
}

/** Shelf prices end in .99 or .95 like real ones. */
function shelfPriceCents(amount: number, random: () => number): number {
  const whole = Math.max(1, Math.round(amount));
  return whole * 100 - (random() < 0.7 ? 1 : 5);
}

function productUrl(retailer: DemoRetailer, sku: string): string {
  return `${retailer.baseUrl}/p/${sku.toLowerCase().replace(/[^a-z0-9.-]+/g, '-')}`;
}

function pick<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return chosen;
}

const floorToMinute = (millis: number) => Math.floor(millis / 60_000) * 60_000;

function generatePrices(catalog: CatalogImportBody, now: Date, seed: number): PriceSeries[] {
  const random = mulberry32(seed);
  const nowMs = now.getTime();
  const series: PriceSeries[] = [];
  for (const part of catalog.parts) {
    const list = listPriceEur(part, random);
    const eligible = catalog.retailers.filter((r) => !RETAILER_PRICING[r.name]?.consumablesOnly || CONSUMABLES.has(part.category));
    for (const retailer of pick(eligible, 1 + Math.floor(random() * 3), random)) {
      const pricing = RETAILER_PRICING[retailer.name] ?? { currency: 'EUR', factor: 1, consumablesOnly: false };
      const stale = random() < STALE_SHARE;
      const lastAgoMs = stale ? (26 + random() * 40) * HOUR_MS : (0.5 + random() * (FRESH_WITHIN_HOURS - 1)) * HOUR_MS;
      // Walk back from the latest observation in steps of 4-7 days, so every one is in its own hour.
      const times = [floorToMinute(nowMs - lastAgoMs)];
      for (;;) {
        const previous = times[0] - (4 + random() * 3) * DAY_MS;
        if (previous < nowMs - HISTORY_DAYS * DAY_MS) break;
        times.unshift(floorToMinute(previous));
      }
      let amount = list * pricing.factor * (0.95 + random() * 0.1);
      const lastOutOfStock = random() < 0.08;
      const observations = times.map((time, i) => {
        amount *= 1 + (random() - 0.5) * 0.05;
        const onSale = random() < 0.1;
        const inStock = i === times.length - 1 ? !lastOutOfStock : random() > 0.05;
        return {
          partId: partIdFor(part.sku),
          retailerId: retailerIdFor(retailer.name),
          priceCents: shelfPriceCents(onSale ? amount * 0.85 : amount, random),
          currency: pricing.currency,
          inStock,
          url: productUrl(retailer, part.sku),
          observedAt: new Date(time).toISOString(),
        };
      });
      series.push({ sku: part.sku, retailer: retailer.name, observations });
    }
  }
  return series;
}

// ---------------------------------------------------------------------------------------------
// Community verifications

export interface DemoRider {
  email: string;
  displayName: string;
  bikes: { year: number; make: string; model: string }[];
}

/** Several riders share a bike-year so popular pairs collect more than one confirmation. */
export const DEMO_RIDERS: DemoRider[] = [
  { email: 'rider1@demo.motopartpicker.local', displayName: 'Sam (MT-07 owner)', bikes: [{ year: 2021, make: 'Yamaha', model: 'MT-07' }] },
  {
    email: 'rider2@demo.motopartpicker.local',
    displayName: 'Alex (MT-07 and XSR700 owner)',
    bikes: [
      { year: 2021, make: 'Yamaha', model: 'MT-07' },
      { year: 2022, make: 'Yamaha', model: 'XSR700' },
    ],
  },
  { email: 'rider3@demo.motopartpicker.local', displayName: 'Priya (Ninja 400 owner)', bikes: [{ year: 2020, make: 'Kawasaki', model: 'Ninja 400' }] },
  {
    email: 'rider4@demo.motopartpicker.local',
    displayName: 'Jonas (R 1250 GS owner)',
    bikes: [
      { year: 2021, make: 'BMW', model: 'R 1250 GS' },
      { year: 2021, make: 'Yamaha', model: 'Ténéré 700' },
    ],
  },
  { email: 'rider5@demo.motopartpicker.local', displayName: 'Maria (Ténéré 700 owner)', bikes: [{ year: 2021, make: 'Yamaha', model: 'Ténéré 700' }] },
  {
    email: 'rider6@demo.motopartpicker.local',
    displayName: 'Tom (XSR700 and R7 owner)',
    bikes: [
      { year: 2022, make: 'Yamaha', model: 'XSR700' },
      { year: 2023, make: 'Yamaha', model: 'YZF-R7' },
    ],
  },
  {
    email: 'rider7@demo.motopartpicker.local',
    displayName: 'Kenji (390 Duke owner)',
    bikes: [
      { year: 2019, make: 'KTM', model: '390 Duke' },
      { year: 2020, make: 'Kawasaki', model: 'Ninja 400' },
    ],
  },
  { email: 'rider8@demo.motopartpicker.local', displayName: 'Lea (Africa Twin owner)', bikes: [{ year: 2021, make: 'Honda', model: 'CRF1100L Africa Twin' }] },
  {
    email: 'rider9@demo.motopartpicker.local',
    displayName: 'Dev (Interceptor 650 owner)',
    bikes: [
      { year: 2021, make: 'Royal Enfield', model: 'Interceptor 650' },
      { year: 2020, make: 'Royal Enfield', model: 'Himalayan' },
    ],
  },
  {
    email: 'rider10@demo.motopartpicker.local',
    displayName: 'Chris (Street Triple owner)',
    bikes: [
      { year: 2021, make: 'Triumph', model: 'Street Triple 765 RS' },
      { year: 2021, make: 'Yamaha', model: 'MT-09' },
    ],
  },
];

/** The body of `POST /api/verifications`, with who sends it and under which Idempotency-Key. */
export interface VerificationRequest {
  riderEmail: string;
  idempotencyKey: string;
  body: { partId: string; bikeId: string; fits: boolean; notes?: string };
}

const CONFIRMATION_NOTES = [
  'Bolted straight on, no modifications.',
  'Direct fit. Took about an hour with basic tools.',
  'Fits fine; reused the original bolts.',
  'Fitted it last weekend, no issues so far.',
  'Fits. The instructions were useless but the parts lined up.',
];
const REFUTATION_NOTES = [
  'Mounting points are different on my bike; the holes would not line up.',
  'Did not fit as delivered: needed a spacer that is not in the box.',
  'Fouls the bodywork at full lock. Returned it.',
];
/** Chance a rider reports on a part that officially fits their bike, and that the report is a refutation. */
const REPORT_SHARE = 0.8;
const OFFICIAL_REFUTATION_SHARE = 0.04;

function generateVerifications(catalog: CatalogImportBody, unofficial: readonly UnofficialFitmentClaim[], seed: number): VerificationRequest[] {
  const random = mulberry32(seed ^ 0x5bd1e995);
  const official = expandFitment(catalog);
  const requests: VerificationRequest[] = [];
  // How many riders already reported on a disputed pair: they alternate refute, confirm, refute...
  const disputedVotes = new Map<string, number>();
  for (const rider of DEMO_RIDERS) {
    for (const bike of rider.bikes) {
      const bikeId = bikeIdFor(bike.year, bike.make, bike.model);
      const report = (sku: string, fits: boolean) => {
        const partId = partIdFor(sku);
        const notesFrom = fits ? CONFIRMATION_NOTES : REFUTATION_NOTES;
        const withNotes = !fits || random() < 0.6;
        requests.push({
          riderEmail: rider.email,
          idempotencyKey: `demo-${partId}-${bikeId}`,
          body: { partId, bikeId, fits, ...(withNotes ? { notes: notesFrom[Math.floor(random() * notesFrom.length)] } : {}) },
        });
      };
      const fitted = official.filter((f) => f.year === bike.year && f.make === bike.make && f.model === bike.model);
      for (const f of fitted) {
        if (random() < REPORT_SHARE) report(f.sku, random() >= OFFICIAL_REFUTATION_SHARE);
      }
      for (const claim of unofficial) {
        if (claim.make !== bike.make || claim.model !== bike.model || bike.year < claim.years[0] || bike.year > claim.years[1]) continue;
        if (claim.verdict === 'fits') {
          report(claim.sku, true);
        } else {
          const key = `${claim.sku}|${bikeId}`;
          const votes = disputedVotes.get(key) ?? 0;
          disputedVotes.set(key, votes + 1);
          report(claim.sku, votes % 2 === 1);
        }
      }
    }
  }
  return requests;
}

// ---------------------------------------------------------------------------------------------

export interface DemoHistory {
  prices: PriceSeries[];
  verifications: VerificationRequest[];
}

export interface DemoHistoryOptions {
  now: Date;
  seed?: number;
  /** Pairs without official fitment that riders report on; the demo's own by default. */
  unofficial?: readonly UnofficialFitmentClaim[];
}

export function generateDemoHistory(catalog: CatalogImportBody, options: DemoHistoryOptions): DemoHistory {
  const seed = options.seed ?? DEMO_SEED;
  return {
    prices: generatePrices(catalog, options.now, seed),
    verifications: generateVerifications(catalog, options.unofficial ?? DEMO_UNOFFICIAL_FITMENT, seed),
  };
}

export function countObservations(prices: readonly PriceSeries[]): number {
  return prices.reduce((n, s) => n + s.observations.length, 0);
}
