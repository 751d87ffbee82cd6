import { partStream, bikeStream, fitmentStream, retailerStream, GENESIS_HASH, hashFitmentEvent } from '@mpp/domain';
import { BuildActivity } from './build-activity.js';
import { CatalogUniverse } from './catalog-universe.js';
import { FitmentActivity, fitmentPublishedData } from './fitment-activity.js';
import { toGeneratedEvent, type Fact, type GeneratedEvent } from './generated-event.js';
import { PartRevisionActivity } from './part-revision-activity.js';
import { PriceActivity } from './price-activity.js';
import { RiderPreferencesActivity } from './rider-preferences-activity.js';
import { assertFeasiblePlan, type ScalePlan } from './scale-plan.js';
import { SeededRandom } from './seeded-random.js';

export interface ScaleEventsOptions {
  plan: ScalePlan;
  seed: string;
  /** When the simulated history starts; the catalog is imported on its first day. Default 2024-01-01Z. */
  start?: Date;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Events an import command appends under one correlation id. */
const IMPORT_CHUNK = 500;

/**
 * The scale generator's event log, in the order it is to be written: a catalog import (bikes,
 * retailers, then each part followed by its official fitment), then hour after hour of activity
 * (verifications, price feeds, builds, catalog corrections) mixed within each hour. A pure
 * function of the plan and the seed: the same arguments give the same events, ids included.
 *
 * Every event is what the command side could have appended (schema-valid data, the deciders' rules,
 * the fitment hash chain), with contiguous stream revisions from 0.
 */
export function* scaleEvents(options: ScaleEventsOptions): Generator<GeneratedEvent> {
  const { plan, seed } = options;
  assertFeasiblePlan(plan);
  const start = (options.start ?? new Date('2024-01-01T00:00:00.000Z')).getTime();
  const universe = new CatalogUniverse(seed, plan);
  const random = new SeededRandom(seed, 'log');

  const catalogEvents = plan.bikes + plan.retailers + plan.parts + plan.fitmentPairs;
  let written = 0;
  let correlationId = random.uuid();
  const imported = (fact: Fact): GeneratedEvent => {
    if (written % IMPORT_CHUNK === 0) correlationId = random.uuid();
    const occurredAt = new Date(start + Math.floor((written * DAY_MS) / catalogEvents)).toISOString();
    written++;
    return toGeneratedEvent(fact, { eventId: random.uuid(), correlationId, occurredAt });
  };
  const actor = 'system:catalog-import';

  for (let i = 0; i < plan.bikes; i++) {
    const { bikeId, year, make, model, trim, engineCc } = universe.bike(i);
    yield imported({ stream: bikeStream(bikeId), revision: 0, type: 'BikeRegistered', actor, data: { bikeId, year, make, model, ...(trim === undefined ? {} : { trim }), engineCc } });
  }
  for (let i = 0; i < plan.retailers; i++) {
    const { retailerId, name, baseUrl, affiliateProgram } = universe.retailer(i);
    yield imported({ stream: retailerStream(retailerId), revision: 0, type: 'RetailerRegistered', actor, data: { retailerId, name, baseUrl, ...(affiliateProgram === undefined ? {} : { affiliateProgram }) } });
  }
  for (let p = 0; p < plan.parts; p++) {
    const { partId, sku, brand, name, category, description, attributes } = universe.part(p);
    yield imported({
      stream: partStream(partId),
      revision: 0,
      type: 'PartCataloged',
      actor,
      data: { partId, sku, brand, name, category, ...(description === undefined ? {} : { description }), ...(attributes === undefined ? {} : { attributes }) },
    });
    for (const official of universe.fitmentOf(p)) {
      const data = fitmentPublishedData(universe, p, official);
      const hash = hashFitmentEvent({ type: 'FitmentPublished', data, prevHash: GENESIS_HASH, revision: 0 });
      yield imported({
        stream: fitmentStream(partId, universe.bike(official.bike).bikeId),
        revision: 0,
        type: 'FitmentPublished',
        actor: 'system:fitment-feed',
        data,
        chain: { prevHash: GENESIS_HASH, hash },
      });
    }
  }

  yield* activity(universe, random, start + DAY_MS);
}

type Kind = 'verification' | 'price' | 'build' | 'revision' | 'rider';

/**
 * Spreads each kind's events evenly over the hours (cumulative rounding keeps the totals exact) and
 * shuffles the kinds within an hour; event times increase within the hour.
 */
function* activity(universe: CatalogUniverse, random: SeededRandom, from: number): Generator<GeneratedEvent> {
  const { plan } = universe;
  const budgets: Record<Kind, number> = {
    verification: plan.verificationEvents,
    price: plan.priceObservations,
    build: plan.buildEvents,
    revision: plan.partRevisions,
    rider: plan.riderPreferenceChanges,
  };
  const total = budgets.verification + budgets.price + budgets.build + budgets.revision + budgets.rider;
  // About 60 events an hour, between one day and two years of history.
  const hours = Math.min(2 * 365 * 24, Math.max(24, Math.ceil(total / 60)));
  const fitment = new FitmentActivity(universe);
  const prices = new PriceActivity(universe);
  const builds = new BuildActivity(universe);
  const revisions = new PartRevisionActivity(universe);
  const riders = new RiderPreferencesActivity(universe);
  const share = (kind: Kind, hour: number) => Math.floor((budgets[kind] * (hour + 1)) / hours) - Math.floor((budgets[kind] * hour) / hours);

  for (let hour = 0; hour < hours; hour++) {
    const slots: Kind[] = [];
    for (const kind of ['verification', 'price', 'build', 'revision', 'rider'] as const) {
      for (let n = share(kind, hour); n > 0; n--) slots.push(kind);
    }
    shuffle(slots, random);
    let buildBudget = share('build', hour);
    const hourStart = from + hour * HOUR_MS;
    for (let slot = 0; slot < slots.length; slot++) {
      const kind = slots[slot]!;
      if (kind === 'build' && buildBudget === 0) continue;
      const occurredAt = new Date(hourStart + Math.floor(((slot + random.next()) * HOUR_MS) / slots.length)).toISOString();
      const facts =
        kind === 'verification' ? [fitment.next(random)] :
        kind === 'price' ? [prices.next(random, hour, occurredAt)] :
        kind === 'revision' ? [revisions.next(random)] :
        kind === 'rider' ? [riders.next(random)] :
        builds.next(random, buildBudget);
      if (kind === 'build') buildBudget -= facts.length;
      const correlationId = random.uuid();
      for (const fact of facts) yield toGeneratedEvent(fact, { eventId: random.uuid(), correlationId, occurredAt });
    }
  }
}

function shuffle<T>(items: T[], random: SeededRandom): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
