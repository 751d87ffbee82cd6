import { REGION_CODES, riderStream } from '@mpp/domain';
import { YEARS_PER_MODEL, type CatalogUniverse } from './catalog-universe.js';
import type { Fact } from './generated-event.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Signed-in riders choosing where they shop and which bike is in their garage. Each fact changes
 * something (the decider appends nothing for a repeated choice), so a rider's stream never holds a
 * no-op.
 */
export class RiderPreferencesActivity {
  private readonly riders = new Map<number, { revision: number; region?: string; bike?: number }>();

  constructor(private readonly universe: CatalogUniverse) {}

  next(random: SeededRandom): Fact {
    const user = this.universe.userActivity.sample(random);
    const known = this.riders.get(user);
    const state = { revision: known ? known.revision + 1 : 0, region: known?.region, bike: known?.bike };
    const userId = this.universe.userId(user);
    const data: Record<string, unknown> = { userId };
    if (!known || random.chance(0.3)) {
      state.region = random.pick(REGION_CODES.filter((code) => code !== known?.region));
      data.region = state.region;
    }
    if (!known || data.region === undefined) {
      const model = this.universe.modelPopularity.sample(random);
      const bike = model * YEARS_PER_MODEL + random.int(this.universe.yearsOfModel(model));
      // Choosing the bike already in the garage is modelled as emptying it (a real change).
      state.bike = bike === known?.bike ? undefined : bike;
      data.garageBikeId = state.bike === undefined ? null : this.universe.bike(state.bike).bikeId;
    }
    this.riders.set(user, state);
    return { stream: riderStream(userId), revision: state.revision, type: 'RiderPreferencesChanged', data, actor: userId };
  }
}
