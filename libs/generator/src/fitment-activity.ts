import { GENESIS_HASH, fitmentStream, hashFitmentEvent, type FitmentSource } from '@mpp/domain';
import type { CatalogUniverse, OfficialFitment } from './catalog-universe.js';
import type { Fact } from './generated-event.js';
import { SeededRandom, stableUuid } from './seeded-random.js';
import { MODERATION_REASONS, REFUTATION_NOTES, VERIFICATION_NOTES, WITHDRAWAL_REASONS } from './vocabulary.js';

interface Verification {
  n: number;
  user: number;
  active: boolean;
  hidden: boolean;
}

interface PairState {
  part: number;
  bike: number;
  /** Revision of the stream's last event; -1 before the first. */
  revision: number;
  lastHash: string;
  official: 'none' | 'published' | 'withdrawn';
  verifications: Verification[];
}

const RECENT_PAIRS = 4096;

/**
 * Riders' and staff's activity on fitment streams after the catalog import, following the fitment
 * decider's rules so every event is one the command side could have appended: a rider's new
 * verification of a pair supersedes their active one; only the author retracts, only an active
 * verification; moderation alternates hidden/restored; only a published fitment is withdrawn.
 * Each event continues its stream's hash chain.
 *
 * Only pairs touched after the import are held in memory; an untouched pair's state (revision 0,
 * the hash of its FitmentPublished) is recomputed from the catalog when it is first touched.
 */
export class FitmentActivity {
  private readonly pairs = new Map<number, PairState>();
  /** Pairs with verifications, for retractions and moderation (which follow soon after, mostly). */
  private readonly recent: number[] = [];
  private recentCursor = 0;
  private verifications = 0;

  constructor(private readonly universe: CatalogUniverse) {}

  next(random: SeededRandom): Fact {
    const action = random.weighted(ACTIONS);
    const fact =
      action === 'retract' ? this.retract(random) :
      action === 'moderate' ? this.moderate(random) :
      action === 'withdraw' ? this.withdraw(random) :
      action === 'publish' ? this.publish(random) :
      undefined;
    return fact ?? this.submit(random);
  }

  private submit(random: SeededRandom): Fact {
    const part = this.universe.partPopularity.sample(random);
    const fitment = this.universe.fitmentOf(part);
    // Mostly bikes the part is listed for; otherwise riders report on a bike of their own choosing.
    const bike = fitment.length > 0 && random.chance(0.85) ? random.pick(fitment).bike : this.universe.popularBike(random);
    const key = this.keyOf(part, bike);
    const pair = this.pair(part, bike, fitment);
    const user = this.universe.userActivity.sample(random);
    const previous = pair.verifications.find((v) => v.user === user && v.active);
    const fits = random.chance(pair.official === 'published' ? 0.9 : 0.55);
    const notes = random.chance(0.3) ? random.pick(fits ? VERIFICATION_NOTES : REFUTATION_NOTES) : undefined;
    const verification: Verification = { n: this.verifications++, user, active: true, hidden: false };
    if (previous) previous.active = false;
    pair.verifications.push(verification);
    this.remember(key);
    return this.append(pair, 'VerificationSubmitted', this.universe.userId(user), {
      verificationId: this.verificationId(verification),
      partId: this.universe.partId(part),
      bikeId: this.universe.bike(bike).bikeId,
      userId: this.universe.userId(user),
      fits,
      ...(notes === undefined ? {} : { notes }),
      ...(previous ? { supersedes: this.verificationId(previous) } : {}),
    });
  }

  private retract(random: SeededRandom): Fact | undefined {
    const pair = this.recentPair(random);
    const active = pair?.verifications.filter((v) => v.active) ?? [];
    if (!pair || active.length === 0) return undefined;
    const verification = random.pick(active);
    verification.active = false;
    const userId = this.universe.userId(verification.user);
    return this.append(pair, 'VerificationRetracted', userId, {
      verificationId: this.verificationId(verification),
      userId,
      ...(random.chance(0.5) ? { reason: 'Posted on the wrong bike' } : {}),
    });
  }

  private moderate(random: SeededRandom): Fact | undefined {
    const pair = this.recentPair(random);
    if (!pair || pair.verifications.length === 0) return undefined;
    const verification = random.pick(pair.verifications);
    verification.hidden = !verification.hidden;
    const moderatorId = this.universe.moderatorId(random.int(this.universe.moderators));
    return this.append(pair, 'VerificationModerated', moderatorId, {
      verificationId: this.verificationId(verification),
      moderatorId,
      action: verification.hidden ? 'hidden' : 'restored',
      reason: random.pick(MODERATION_REASONS),
    });
  }

  private withdraw(random: SeededRandom): Fact | undefined {
    const part = this.universe.partPopularity.sample(random);
    const fitment = this.universe.fitmentOf(part);
    if (fitment.length === 0) return undefined;
    const pair = this.pair(part, random.pick(fitment).bike, fitment);
    if (pair.official !== 'published') return undefined;
    pair.official = 'withdrawn';
    this.remember(this.keyOf(part, pair.bike));
    return this.append(pair, 'FitmentWithdrawn', 'system:fitment-feed', {
      partId: this.universe.partId(part),
      bikeId: this.universe.bike(pair.bike).bikeId,
      source: random.weighted(SOURCES),
      reason: random.pick(WITHDRAWAL_REASONS),
    });
  }

  /** Staff confirm a fit riders found, or a manufacturer re-lists one it withdrew. */
  private publish(random: SeededRandom): Fact | undefined {
    const key = this.recent.length > 0 ? this.recent[random.int(this.recent.length)]! : undefined;
    const pair = key === undefined ? undefined : this.pairs.get(key);
    if (!pair || pair.official === 'published') return undefined;
    pair.official = 'published';
    return this.append(pair, 'FitmentPublished', 'system:fitment-feed', {
      partId: this.universe.partId(pair.part),
      bikeId: this.universe.bike(pair.bike).bikeId,
      source: random.weighted(SOURCES),
    });
  }

  private append(pair: PairState, type: Fact['type'], actor: string, data: Record<string, unknown>): Fact {
    const revision = pair.revision + 1;
    const hash = hashFitmentEvent({ type, data, prevHash: pair.lastHash, revision });
    const fact: Fact = {
      stream: fitmentStream(this.universe.partId(pair.part), this.universe.bike(pair.bike).bikeId),
      revision,
      type,
      data,
      actor,
      chain: { prevHash: pair.lastHash, hash },
    };
    pair.revision = revision;
    pair.lastHash = hash;
    return fact;
  }

  private pair(part: number, bike: number, fitment: readonly OfficialFitment[]): PairState {
    const key = this.keyOf(part, bike);
    let pair = this.pairs.get(key);
    if (!pair) {
      const official = fitment.find((f) => f.bike === bike);
      pair = official
        ? { part, bike, revision: 0, lastHash: publishedHash(this.universe, part, official), official: 'published', verifications: [] }
        : { part, bike, revision: -1, lastHash: GENESIS_HASH, official: 'none', verifications: [] };
      this.pairs.set(key, pair);
    }
    return pair;
  }

  private recentPair(random: SeededRandom): PairState | undefined {
    if (this.recent.length === 0) return undefined;
    return this.pairs.get(this.recent[random.int(this.recent.length)]!);
  }

  private remember(key: number): void {
    if (this.recent.length < RECENT_PAIRS) this.recent.push(key);
    else this.recent[this.recentCursor++ % RECENT_PAIRS] = key;
  }

  private keyOf(part: number, bike: number): number {
    return part * this.universe.plan.bikes + bike;
  }

  private verificationId(verification: Verification): string {
    return stableUuid(this.universe.seed, 'verification', verification.n);
  }
}

/** The data of the catalog's FitmentPublished for one official pair (the import writes exactly this). */
export function fitmentPublishedData(universe: CatalogUniverse, part: number, official: OfficialFitment): Record<string, unknown> {
  return {
    partId: universe.partId(part),
    bikeId: universe.bike(official.bike).bikeId,
    source: official.source,
    ...(official.notes === undefined ? {} : { notes: official.notes }),
  };
}

function publishedHash(universe: CatalogUniverse, part: number, official: OfficialFitment): string {
  return hashFitmentEvent({ type: 'FitmentPublished', data: fitmentPublishedData(universe, part, official), prevHash: GENESIS_HASH, revision: 0 });
}

const ACTIONS = [
  ['submit', 80],
  ['retract', 7],
  ['moderate', 7],
  ['withdraw', 4],
  ['publish', 2],
] as const;

const SOURCES = [
  ['manufacturer', 5],
  ['retailer', 3],
  ['staff', 2],
] as const satisfies readonly (readonly [FitmentSource, number])[];
