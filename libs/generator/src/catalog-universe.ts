import { PART_CATEGORIES, bikeIdFor, partIdFor, retailerIdFor, slugify, type FitmentSource, type PartAttributes, type PartCategory } from '@mpp/domain';
import type { ScalePlan } from './scale-plan.js';
import { SeededRandom, stableUuid } from './seeded-random.js';
import {
  BRANDS,
  CATEGORY_PROFILES,
  MAKES,
  MATERIALS,
  PRODUCT_LINES,
  REAL_MODELS,
  REAL_RETAILERS,
  RETAILER_WORDS,
  SERIES,
  TRIMS,
  VARIANTS,
} from './vocabulary.js';
import { ZipfSampler } from './zipf.js';

export const YEARS_PER_MODEL = 10;
export const FIRST_MODEL_YEAR = 2016;

export interface BikeSpec {
  bikeId: string;
  year: number;
  make: string;
  model: string;
  trim?: string;
  engineCc: number;
}

export interface PartSpec {
  partId: string;
  sku: string;
  brand: string;
  name: string;
  category: PartCategory;
  description?: string;
  attributes?: PartAttributes;
  basePriceCents: number;
}

export interface RetailerSpec {
  retailerId: string;
  name: string;
  baseUrl: string;
  currency: string;
  affiliateProgram?: string;
  /** Price multiplier of this retailer against the part's base price. */
  priceFactor: number;
}

export interface OfficialFitment {
  bike: number;
  source: FitmentSource;
  notes?: string;
}

/**
 * The catalog a plan describes, as pure functions of (seed, index): bike i, part i, retailer i and
 * the official fitment of part i are the same every time they are asked for, so the event
 * generator keeps no copy of them and can recompute a pair's first hash when a rider verifies it.
 *
 * Bikes are models x model years (bike i is year i % 10 of model i / 10); popularity is Zipf over
 * models, parts and retailers, by index. Part p fits `fitmentCount(p)` bikes: runs of consecutive
 * years of Zipf-chosen models, wider for universal categories (tyres, oil filters) than for
 * model-specific ones (exhausts, crash bars); the counts add up to exactly `plan.fitmentPairs`.
 */
export class CatalogUniverse {
  readonly models: number;
  readonly users: number;
  readonly moderators = 5;
  readonly modelPopularity: ZipfSampler;
  readonly partPopularity: ZipfSampler;
  readonly retailerPopularity: ZipfSampler;
  readonly userActivity: ZipfSampler;
  private readonly bikes: BikeSpec[];
  private readonly retailerSpecs: RetailerSpec[];
  private readonly partIds: (string | undefined)[];
  private readonly userIds: (string | undefined)[];
  /** Cumulative fitment weight of parts [0, p), so part p's count is a difference of two roundings. */
  private readonly fitmentWeights: Float64Array;

  constructor(
    readonly seed: string,
    readonly plan: ScalePlan,
  ) {
    this.models = Math.ceil(plan.bikes / YEARS_PER_MODEL);
    this.users = Math.max(50, Math.round(plan.verificationEvents / 4 + plan.buildEvents / 3));
    this.modelPopularity = new ZipfSampler(this.models);
    this.partPopularity = new ZipfSampler(plan.parts);
    this.retailerPopularity = new ZipfSampler(plan.retailers, 0.8);
    this.userActivity = new ZipfSampler(this.users);
    this.bikes = Array.from({ length: plan.bikes }, (_, i) => this.makeBike(i));
    this.retailerSpecs = Array.from({ length: plan.retailers }, (_, i) => this.makeRetailer(i));
    this.partIds = new Array(plan.parts);
    this.userIds = new Array(this.users);
    this.fitmentWeights = new Float64Array(plan.parts + 1);
    for (let p = 0; p < plan.parts; p++) {
      const weight = CATEGORY_PROFILES[this.categoryOf(p)].breadth * (0.5 + new SeededRandom(seed, 'fitment-weight', p).next());
      this.fitmentWeights[p + 1] = this.fitmentWeights[p]! + weight;
    }
  }

  bike(index: number): BikeSpec {
    return this.bikes[index]!;
  }

  retailer(index: number): RetailerSpec {
    return this.retailerSpecs[index]!;
  }

  yearsOfModel(model: number): number {
    return Math.min(YEARS_PER_MODEL, this.plan.bikes - model * YEARS_PER_MODEL);
  }

  /** Category is the first draw of a part's generator, so it is cheap to ask for alone. */
  categoryOf(part: number): PartCategory {
    return new SeededRandom(this.seed, 'part', part).weighted(CATEGORY_CHOICES);
  }

  part(index: number): PartSpec {
    const { random, category, brand, sku } = this.partIdentity(index);
    const line = random.pick(PRODUCT_LINES[category]);
    const variant = random.chance(0.6) ? ` ${random.pick(VARIANTS)}` : '';
    const series = random.chance(0.5) ? ` ${random.pick(SERIES)}${random.between(1, 99)}` : '';
    const [low, high] = CATEGORY_PROFILES[category].priceCents;
    const basePriceCents = Math.round((low + random.next() * (high - low)) / 100) * 100 - 1;
    const name = `${line}${variant}${series}`;
    const description = random.chance(0.5) ? `${brand} ${name}: ${random.pick(MATERIALS)} construction, sold as a ${random.pick(['single item', 'pair', 'kit'])}.` : undefined;
    const attributes = random.chance(0.7)
      ? { material: random.pick(MATERIALS), weightGrams: random.between(20, 9_000), eMarked: random.chance(0.5) }
      : undefined;
    return {
      partId: this.partId(index),
      sku,
      brand,
      name,
      category,
      ...(description === undefined ? {} : { description }),
      ...(attributes === undefined ? {} : { attributes }),
      basePriceCents,
    };
  }

  partId(index: number): string {
    let id = this.partIds[index];
    if (id === undefined) {
      id = partIdFor(this.partIdentity(index).sku);
      this.partIds[index] = id;
    }
    return id;
  }

  /** The first draws of a part's generator: enough for its id (from the sku) and its category. */
  private partIdentity(index: number) {
    const random = new SeededRandom(this.seed, 'part', index);
    const category = random.weighted(CATEGORY_CHOICES);
    const brand = random.pick(BRANDS[category]);
    // The index makes the sku unique; the brand prefix and check digits make it look like one.
    const sku = `${slugify(brand).replaceAll('-', '').slice(0, 4).toUpperCase()}-${index.toString(36).toUpperCase().padStart(5, '0')}-${random.between(10, 99)}`;
    return { random, category, brand, sku };
  }

  fitmentCount(part: number): number {
    const { fitmentPairs } = this.plan;
    const total = this.fitmentWeights[this.plan.parts]!;
    const upTo = (p: number) => Math.round((fitmentPairs * this.fitmentWeights[p]!) / total);
    return Math.min(this.plan.bikes, upTo(part + 1) - upTo(part));
  }

  /** The bikes part p officially fits, with who published each; distinct bikes, in publication order. */
  fitmentOf(part: number): OfficialFitment[] {
    const wanted = this.fitmentCount(part);
    const random = new SeededRandom(this.seed, 'fitment', part);
    const fitment: OfficialFitment[] = [];
    const taken = new Set<number>();
    const add = (bike: number) => {
      const source = random.weighted(FITMENT_SOURCES);
      const notes = random.chance(0.1) ? `Per ${source} application list, ${this.bike(bike).year} model year.` : undefined;
      fitment.push({ bike, source, ...(notes === undefined ? {} : { notes }) });
      taken.add(bike);
    };
    let misses = 0;
    let scan = 0;
    while (fitment.length < wanted) {
      if (misses < 20) {
        const model = this.modelPopularity.sample(random);
        const years = this.yearsOfModel(model);
        const run = Math.min(wanted - fitment.length, years, 1 + random.int(years));
        const firstYear = random.int(years - run + 1);
        const before = fitment.length;
        for (let year = firstYear; year < firstYear + run; year++) {
          if (!taken.has(model * YEARS_PER_MODEL + year)) add(model * YEARS_PER_MODEL + year);
        }
        if (fitment.length === before) misses++;
      } else {
        // A wide part on a small catalog has taken the popular models: walk the rest in order.
        while (taken.has(scan)) scan++;
        add(scan);
      }
    }
    return fitment;
  }

  /** A Zipf-popular bike: popular model, any of its years. */
  popularBike(random: SeededRandom): number {
    const model = this.modelPopularity.sample(random);
    return model * YEARS_PER_MODEL + random.int(this.yearsOfModel(model));
  }

  userId(n: number): string {
    let id = this.userIds[n];
    if (id === undefined) {
      id = stableUuid(this.seed, 'user', n);
      this.userIds[n] = id;
    }
    return id;
  }

  moderatorId(n: number): string {
    return stableUuid(this.seed, 'moderator', n);
  }

  private makeBike(index: number): BikeSpec {
    const model = Math.floor(index / YEARS_PER_MODEL);
    const year = FIRST_MODEL_YEAR + (index % YEARS_PER_MODEL);
    const random = new SeededRandom(this.seed, 'model', model);
    const real = REAL_MODELS[model];
    const make = real ? real[0] : MAKES[model % MAKES.length]!;
    const name = real ? real[1] : `${SERIES[model % SERIES.length]} ${100 + model}`;
    const engineCc = real ? real[2] : 125 * random.between(1, 12) - random.between(0, 30);
    // A few generated models come in a trim only (e.g. "ABS"); the trim is part of the bike's identity.
    const trim = !real && random.chance(0.1) ? random.pick(TRIMS) : undefined;
    return { bikeId: bikeIdFor(year, make, name, trim), year, make, model: name, ...(trim === undefined ? {} : { trim }), engineCc };
  }

  private makeRetailer(index: number): RetailerSpec {
    const random = new SeededRandom(this.seed, 'retailer', index);
    const real = REAL_RETAILERS[index];
    const name = real ? real[0] : `${RETAILER_WORDS[index % RETAILER_WORDS.length]} Motorsport ${index}`;
    const baseUrl = real ? real[1] : `https://www.${slugify(name)}.example`;
    const currency = real ? real[2] : random.pick(['USD', 'EUR', 'GBP']);
    const affiliateProgram = real ? real[3] : random.chance(0.3) ? 'awin' : undefined;
    return {
      retailerId: retailerIdFor(name),
      name,
      baseUrl,
      currency,
      ...(affiliateProgram === undefined ? {} : { affiliateProgram }),
      priceFactor: 0.9 + random.next() * 0.25,
    };
  }
}

const CATEGORY_CHOICES = PART_CATEGORIES.map((category) => [category, CATEGORY_PROFILES[category].share] as const);
const FITMENT_SOURCES = [
  ['manufacturer', 6],
  ['retailer', 3],
  ['staff', 1],
] as const satisfies readonly (readonly [FitmentSource, number])[];
