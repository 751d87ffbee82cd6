/**
 * How much of each kind of fact the scale generator writes. Every count is a number of events,
 * except `bikes`, `parts` and `retailers` (one event each) and `fitmentPairs` (one FitmentPublished
 * each, on its own fitment stream), so the total is exactly `totalEvents(plan)`.
 */
export interface ScalePlan {
  /** Model years (BikeRegistered), ten per model. */
  bikes: number;
  /** PartCataloged. */
  parts: number;
  /** RetailerRegistered. */
  retailers: number;
  /** Official fitment pairs (FitmentPublished), distinct (part, bike). */
  fitmentPairs: number;
  /** Rider activity on fitment streams: submissions, supersessions, retractions, moderation, withdrawals. */
  verificationEvents: number;
  /** PriceObserved, at most one per (part, retailer, hour) as the domain requires. */
  priceObservations: number;
  /** BuildCreated, BuildUpdated and BuildDeleted. */
  buildEvents: number;
  /** PartDetailsRevised. */
  partRevisions: number;
  /** RiderPreferencesChanged: signed-in riders choosing a region or a garage bike. */
  riderPreferenceChanges: number;
}

export const PLAN_KEYS = [
  'bikes',
  'parts',
  'retailers',
  'fitmentPairs',
  'verificationEvents',
  'priceObservations',
  'buildEvents',
  'partRevisions',
  'riderPreferenceChanges',
] as const satisfies readonly (keyof ScalePlan)[];

export function totalEvents(plan: ScalePlan): number {
  return PLAN_KEYS.reduce((sum, key) => sum + plan[key], 0);
}

/**
 * A realistic mix for a total: a catalog of 1 bike per 1,000 events, 1 part per 20 and 10 official
 * fitment pairs per part (half of all events), then riders' activity. `planForEvents(10_000_000)` is
 * the documented target: 500,000 parts, 5,000,000 fitment pairs, 10,000,000 events.
 * `overrides` replace single counts; price observations then make up the difference to `total`
 * (unless overridden too), so the total stays what was asked for.
 */
export function planForEvents(total: number, overrides: Partial<ScalePlan> = {}): ScalePlan {
  if (!Number.isInteger(total) || total < 1_000) throw new RangeError(`the scale generator needs at least 1,000 events, got ${total}`);
  const bikes = overrides.bikes ?? Math.max(40, Math.round(total * 0.001));
  const parts = overrides.parts ?? Math.max(50, Math.round(total * 0.05));
  const plan: ScalePlan = {
    bikes,
    parts,
    retailers: Math.min(60, Math.max(5, Math.round(Math.sqrt(total) / 50))),
    fitmentPairs: Math.min(Math.round(total * 0.5), bikes * parts),
    verificationEvents: Math.round(total * 0.2),
    priceObservations: 0,
    buildEvents: Math.round(total * 0.025),
    partRevisions: Math.round(total * 0.004),
    riderPreferenceChanges: Math.round(total * 0.002),
    ...overrides,
  };
  if (overrides.priceObservations === undefined) {
    const others = totalEvents(plan);
    if (others > total) throw new RangeError(`the other counts add up to ${others} events, more than the ${total} asked for`);
    plan.priceObservations = total - others;
  }
  return plan;
}

/** Checks a plan (e.g. one assembled from CLI knobs) can be generated; throws RangeError naming the problem. */
export function assertFeasiblePlan(plan: ScalePlan): void {
  for (const key of PLAN_KEYS) {
    if (!Number.isInteger(plan[key]) || plan[key] < 0) throw new RangeError(`${key} must be a non-negative integer, got ${plan[key]}`);
  }
  for (const key of ['bikes', 'parts', 'retailers'] as const) {
    if (plan[key] < 1) throw new RangeError(`${key} must be at least 1`);
  }
  if (plan.fitmentPairs > plan.bikes * plan.parts) {
    throw new RangeError(`fitmentPairs (${plan.fitmentPairs}) cannot exceed bikes x parts (${plan.bikes * plan.parts})`);
  }
}
