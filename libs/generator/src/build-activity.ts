import { BUILD_PARTS_MAX, buildStream, type BuildField } from '@mpp/domain';
import type { CatalogUniverse } from './catalog-universe.js';
import type { Fact } from './generated-event.js';
import { stableUuid, type SeededRandom } from './seeded-random.js';
import { BUILD_NAMES, BUILD_NOTES } from './vocabulary.js';

interface BuildPartState {
  part: number;
  quantity: number;
  note?: string;
}

interface BuildState {
  n: number;
  owner: number;
  bike: number;
  name: string;
  visibility: 'private' | 'unlisted' | 'public';
  parts: BuildPartState[];
  /** Build revision (1 when created); the stream revision is one less. */
  revision: number;
}

const OPEN_BUILDS = 2048;

/**
 * Riders planning builds: a build is created on a bike (usually with a first part that fits it,
 * saved together as BuildCreated + BuildUpdated), edited a few times (parts added, removed,
 * quantities, renames, visibility), and sometimes deleted. Only recent builds are edited, so only
 * those are held in memory.
 */
export class BuildActivity {
  private readonly open: BuildState[] = [];
  private builds = 0;

  constructor(private readonly universe: CatalogUniverse) {}

  /** One or two events (a creation with parts is two), never more than `budget`. */
  next(random: SeededRandom, budget: number): Fact[] {
    if (this.open.length === 0 || random.chance(0.35)) return this.create(random, budget);
    const index = random.int(this.open.length);
    const build = this.open[index]!;
    if (random.chance(0.12)) {
      this.open.splice(index, 1);
      return [this.fact(build, 'BuildDeleted', { buildId: this.buildId(build) })];
    }
    return [this.update(random, build)];
  }

  private create(random: SeededRandom, budget: number): Fact[] {
    const anchor = this.universe.partPopularity.sample(random);
    const fitment = this.universe.fitmentOf(anchor);
    const bike = fitment.length > 0 ? random.pick(fitment).bike : this.universe.popularBike(random);
    const bikeSpec = this.universe.bike(bike);
    const build: BuildState = {
      n: this.builds++,
      owner: this.universe.userActivity.sample(random),
      bike,
      name: `${bikeSpec.model} ${random.pick(BUILD_NAMES)}`,
      visibility: random.weighted(VISIBILITIES),
      parts: [],
      revision: 1,
    };
    this.keep(build);
    const created = this.fact(build, 'BuildCreated', {
      buildId: this.buildId(build),
      ownerId: this.universe.userId(build.owner),
      name: build.name,
      bikeId: bikeSpec.bikeId,
      visibility: build.visibility,
    });
    if (budget < 2) return [created];
    build.parts.push({ part: anchor, quantity: 1 });
    build.revision += 1;
    return [created, this.snapshot(build, ['parts'])];
  }

  private update(random: SeededRandom, build: BuildState): Fact {
    const changes: BuildField[] = [];
    const roll = random.next();
    if (roll < 0.1) {
      build.name = `${this.universe.bike(build.bike).model} ${random.pick(BUILD_NAMES)}`;
      changes.push('name');
    } else if (roll < 0.2) {
      build.visibility = build.visibility === 'public' ? 'private' : 'public';
      changes.push('visibility');
    } else if (roll < 0.35 && build.parts.length > 0) {
      build.parts.splice(random.int(build.parts.length), 1);
      changes.push('parts');
    } else if (roll < 0.45 && build.parts.length > 0) {
      const item = random.pick(build.parts);
      item.quantity = item.quantity >= 4 ? 1 : item.quantity + 1;
      changes.push('parts');
    } else {
      const part = this.universe.partPopularity.sample(random);
      if (build.parts.length < BUILD_PARTS_MAX && !build.parts.some((p) => p.part === part)) {
        build.parts.push({ part, quantity: 1, ...(random.chance(0.2) ? { note: random.pick(BUILD_NOTES) } : {}) });
      } else {
        build.parts.pop();
      }
      changes.push('parts');
    }
    build.revision += 1;
    return this.snapshot(build, changes);
  }

  private snapshot(build: BuildState, changes: BuildField[]): Fact {
    return this.fact(build, 'BuildUpdated', {
      buildId: this.buildId(build),
      revision: build.revision,
      name: build.name,
      bikeId: this.universe.bike(build.bike).bikeId,
      visibility: build.visibility,
      parts: build.parts.map((p) => ({ partId: this.universe.partId(p.part), quantity: p.quantity, ...(p.note === undefined ? {} : { note: p.note }) })),
      changes,
    });
  }

  private fact(build: BuildState, type: 'BuildCreated' | 'BuildUpdated' | 'BuildDeleted', data: Record<string, unknown>): Fact {
    // BuildDeleted takes the next stream revision without a build revision of its own in the data.
    const revision = type === 'BuildDeleted' ? build.revision : build.revision - 1;
    return { stream: buildStream(this.buildId(build)), revision, type, data, actor: this.universe.userId(build.owner) };
  }

  private keep(build: BuildState): void {
    if (this.open.length >= OPEN_BUILDS) this.open.splice(0, 1);
    this.open.push(build);
  }

  private buildId(build: BuildState): string {
    return stableUuid(this.universe.seed, 'build', build.n);
  }
}

const VISIBILITIES = [
  ['private', 5],
  ['unlisted', 2],
  ['public', 3],
] as const;
