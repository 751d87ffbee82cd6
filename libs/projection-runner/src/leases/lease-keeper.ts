import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import type { RunnerLogger } from '../projection-runner.js';
import { planLeaseChanges, fairShare } from './fair-share.js';
import { leaseHolderId } from './lease-holder-id.js';
import { acquireLeases, ensureLeaseRows, releaseLease, renewLeases } from './projection-leases.js';
import { forgetDeadMembers, heartbeatMember, leaveMembers, liveMemberCount } from './projector-members.js';
import { RenewalLatency } from './renewal-latency.js';

/** Something only one process may run at a time: a projection, or a reactor with side effects. */
export interface LeasedWork {
  readonly name: string;
  /** `holder`: the lease holder this process runs as, which a projection's batches check (lease-fence.ts). */
  start(holder: string): Promise<void>;
  /** Resolves once nothing of the work runs any more (a batch in flight has committed or rolled back). */
  stop(): Promise<void>;
  /**
   * Its writes check the lease in the database (a projection's batches, lease-fence.ts), so running
   * on past the local deadline does no harm: it is stopped when a renewal answers that the lease is
   * gone, or when renewals fail outright. Unfenced work stops at its local deadline, answer or not.
   */
  readonly fenced?: boolean;
}

export interface LeaseKeeperOptions {
  knex: Knex;
  works: readonly LeasedWork[];
  /** Defaults to host:pid:random. */
  holder?: string;
  /** How often leases are renewed and the share re-balanced. */
  heartbeatMs?: number;
  /**
   * How long a lease outlives its last renewal: how soon a dead holder's work moves. The least:
   * renewals slower than a third of it lengthen it, up to `maxTtlMs` (renewal-latency.ts).
   */
  ttlMs?: number;
  /**
   * The longest a lease may be made to live when renewals are slow. Default `ttlMs` plus one
   * heartbeat (4 s), which keeps the promise that a dead holder's work moves within 5 s: its lease
   * outlives the last renewal by at most that, and the others look once a heartbeat. Raise it to
   * trade a slower failover for fewer hand-overs on a machine whose renewals take seconds.
   */
  maxTtlMs?: number;
  logger?: RunnerLogger;
}

interface Held {
  /** Local monotonic time (performance.now) after which this process must assume it lost the lease. */
  deadline: number;
  /** Above the share: its run is stopping, and the lease goes back once it has ended (handOver). */
  handingOver?: true;
}

/** How long, in heartbeats, a process keeps surplus it took beyond its share before handing it back. */
const ORPHAN_HOLD_HEARTBEATS = 10;
/**
 * A lease free this many heartbeats (expired or released, and nobody took it) is taken by any
 * process, beyond its share: a member counted in the share but not taking it (one still booting on
 * a starved machine) must not leave work unowned. Two, so a hand-over to a process below its share,
 * which looks once a heartbeat, goes first.
 */
const ORPHAN_AFTER_HEARTBEATS = 2;

const silentLogger: RunnerLogger = { log: () => {}, warn: () => {}, error: () => {} };

/**
 * Runs this process's fair share of the works, each under a lease in PostgreSQL. A projection's
 * batches cannot overlap another process's: each batch locks its lease row as its first statement
 * and a take-over skips locked rows (lease-fence.ts), so a lease moves only between batches, however
 * late its old holder notices. Such fenced work therefore waits for a renewal's answer, however
 * slow (a busy machine), and stops when the answer says the lease is gone or renewals fail. Unfenced
 * work (a reactor) stops once its local deadline is within a heartbeat, answer or not: the deadline
 * is measured from before the renewing statement was sent, so it falls before the expiry the
 * database recorded, and by the time another process may take the lease the old holder let it go.
 * The TTL each renewal asks for follows the measured round trips of the heartbeat's statements
 * (renewal-latency.ts): on a machine so busy that a renewal takes longer than a third of the lease,
 * leases live longer rather than lapse and move between processes that are all alive.
 */
export class LeaseKeeper {
  readonly holder: string;
  private readonly heartbeatMs: number;
  /** The lease TTL each renewal asks for, from the measured round trips of the heartbeat's statements. */
  private readonly latency: RenewalLatency;
  private readonly logger: RunnerLogger;
  private readonly held = new Map<string, Held>();
  /**
   * Per work, the last start or stop asked for: each runs after the one before it ends, so a lease
   * taken again never starts a run beside one still stopping, and two starts queued behind one
   * stop (lost, taken again, lost, taken again) do not both start one: that left runs nobody
   * stopped, several batches of one projection at once in one process.
   */
  private readonly transitions = new Map<string, Promise<void>>();
  /** Works started and not stopped since. */
  private readonly running = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private tickInFlight?: Promise<void>;
  /** The last heartbeat failed (database unreachable): fenced work past its deadline stops too. */
  private lastTickFailed = false;
  private ticks = 0;
  private stopped = false;
  /** performance.now() of the last lease taken beyond the share; see tick(). */
  private rescuedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.holder = options.holder ?? leaseHolderId();
    this.heartbeatMs = options.heartbeatMs ?? 1_000;
    const ttlMs = options.ttlMs ?? 3_000;
    this.logger = options.logger ?? silentLogger;
    if (ttlMs < 3 * this.heartbeatMs) throw new Error('the lease TTL must cover at least three heartbeats');
    this.latency = new RenewalLatency({ baseTtlMs: ttlMs, maxTtlMs: options.maxTtlMs ?? ttlMs + this.heartbeatMs });
  }

  private orphanAfterMs(): number {
    return ORPHAN_AFTER_HEARTBEATS * this.heartbeatMs;
  }

  /** The TTL the next renewal asks for: the configured one, or longer while renewals are slow. */
  private get ttlMs(): number {
    return this.latency.ttlMs();
  }

  /** Runs one of the heartbeat's statements and counts its round trip among the renewal latencies. */
  private async timed<T>(statement: Promise<T>): Promise<T> {
    const sentAt = performance.now();
    const result = await statement;
    this.latency.record(performance.now() - sentAt);
    return result;
  }

  /** Registers this process; leases are taken from the next heartbeat on, once processes starting together have all registered. */
  async start(): Promise<void> {
    await ensureLeaseRows(this.options.knex, this.options.works.map((w) => w.name));
    await heartbeatMember(this.options.knex, this.holder, this.ttlMs);
    this.timer = setInterval(() => this.beat(), this.heartbeatMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.tickInFlight;
    const names = [...this.held.keys()];
    await Promise.all(names.map((name) => this.stopWork(name)));
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    for (const name of names) await releaseLease(this.options.knex, this.holder, name).catch((error: unknown) => this.warn(`could not release ${name}`, error));
    await leaveMembers(this.options.knex, this.holder).catch((error: unknown) => this.warn('could not leave the projector members', error));
  }

  /** The works this process holds right now (a lease within a heartbeat of its local deadline no longer counts). */
  owned(): string[] {
    return [...this.held].filter(([, h]) => !this.overdue(h) && !h.handingOver).map(([name]) => name).sort();
  }

  /**
   * Overdue one heartbeat before the deadline: the check runs once per heartbeat, so a later check
   * could notice only after the deadline, when the lease may already be someone else's.
   */
  private overdue(held: Held): boolean {
    return held.deadline - this.heartbeatMs <= performance.now();
  }

  private beat(): void {
    this.dropOverdue();
    if (this.tickInFlight || this.stopped) return;
    this.tickInFlight = this.tick()
      .then(() => {
        this.lastTickFailed = false;
      })
      .catch((error: unknown) => {
        this.lastTickFailed = true;
        this.warn('lease heartbeat failed', error);
      })
      .finally(() => (this.tickInFlight = undefined));
  }

  /** Runs even while the database hangs: past its deadline an unfenced lease may be someone else's. */
  private dropOverdue(): void {
    for (const [name, h] of this.held) {
      const fenced = this.work(name).fenced === true;
      if (fenced ? this.lastTickFailed && !this.tickInFlight && h.deadline <= performance.now() : this.overdue(h)) {
        this.logger.warn(`lease on ${name} ran out before it could be renewed; stopping it here`);
        void this.stopWork(name);
      }
    }
  }

  private async tick(): Promise<void> {
    const { knex, works } = this.options;
    this.ticks += 1;
    // The renewal first: on a busy database every statement before it would delay it.
    const sentAt = performance.now();
    const ttlMs = this.ttlMs;
    const holding = [...this.held.keys()];
    const renewed = new Set(holding.length === 0 ? [] : await this.timed(renewLeases(knex, this.holder, holding, ttlMs)));
    const roundTrip = performance.now() - sentAt;
    if (roundTrip > ttlMs / 2) this.logger.warn(`lease renewal took ${Math.round(roundTrip)} ms of a ${ttlMs} ms lease`);
    if (this.ttlMs !== ttlMs) this.logger.log(`lease TTL now ${this.ttlMs} ms (renewal round trips up to ${Math.round(this.latency.p99())} ms)`);
    await this.timed(heartbeatMember(knex, this.holder, this.ttlMs));
    if (this.ticks % 600 === 0) await forgetDeadMembers(knex);
    // Dropped as overdue while the renewal was on its way: the database renewed a lease nothing runs under.
    for (const name of renewed) if (!this.held.has(name)) await releaseLease(knex, this.holder, name);
    for (const name of [...this.held.keys()]) {
      if (renewed.has(name)) this.held.get(name)!.deadline = sentAt + ttlMs;
      else {
        this.logger.warn(`lease on ${name} was lost; stopping it here`);
        void this.stopWork(name);
      }
    }
    if (this.stopped || this.ticks < 2) return;

    const names = works.map((w) => w.name);
    const share = fairShare(names.length, await liveMemberCount(knex));
    // A lease being handed over counts neither as held nor as free to take.
    const settled = names.filter((name) => !this.held.get(name)?.handingOver);
    const plan = planLeaseChanges(settled, new Set(settled.filter((name) => this.held.has(name))), share);
    // Surplus taken from nobody is kept a while: handed straight back, it would lapse again while the
    // member it is meant for still takes none, and every round trip restarts a projection.
    const keepingSurplus = performance.now() - this.rescuedAt < ORPHAN_HOLD_HEARTBEATS * this.heartbeatMs;
    if (plan.release.length > 0 && !keepingSurplus) {
      for (const name of plan.release) {
        this.logger.log(`handing ${name} over (share ${share})`);
        this.track(this.handOver(name).catch((error: unknown) => this.warn(`could not release ${name}`, error)));
      }
      return;
    }
    const takenAt = performance.now();
    const takenFor = this.ttlMs;
    const taken = await acquireLeases(knex, this.holder, plan.candidates, plan.acquireUpTo, takenFor);
    // Work-conserving: a lease nobody took for a while is taken beyond the share (ORPHAN_AFTER_HEARTBEATS).
    const unheld = names.filter((name) => !this.held.has(name) && !taken.includes(name));
    const rescued = await acquireLeases(knex, this.holder, unheld, unheld.length, takenFor, this.orphanAfterMs());
    if (rescued.length > 0) {
      this.rescuedAt = takenAt;
      this.logger.warn(`took ${rescued.join(', ')} beyond a share of ${share}: free for over ${this.orphanAfterMs()} ms, nobody took them`);
    }
    for (const name of [...taken, ...rescued]) {
      this.held.set(name, { deadline: takenAt + takenFor });
      void this.startWork(name);
    }
  }

  /**
   * Starting and stopping run beside the heartbeat, never inside it: a runner's start (schema
   * checks) or stop (the batch in flight) can take longer than a TTL, and the renewals must go on.
   */
  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private work(name: string): LeasedWork {
    return this.options.works.find((w) => w.name === name)!;
  }

  /** Queues `step` after the work's previous start or stop. */
  private transition(name: string, step: () => Promise<void>): Promise<void> {
    const next = (this.transitions.get(name) ?? Promise.resolve()).then(step);
    this.transitions.set(name, next);
    this.track(next);
    void next.finally(() => {
      if (this.transitions.get(name) === next) this.transitions.delete(name);
    });
    return next;
  }

  private startWork(name: string): Promise<void> {
    return this.transition(name, async () => {
      // Lost or handed over before its turn came, or still running from before.
      if (!this.held.has(name) || this.running.has(name)) return;
      this.running.add(name);
      try {
        await this.work(name).start(this.holder);
        this.logger.log(`running ${name} under lease`);
      } catch (error) {
        this.warn(`could not start ${name}; handing its lease back`, error);
        this.held.delete(name);
        await this.endRun(name);
        // A process cut off from the database cannot hand it back either: the lease then expires.
        await releaseLease(this.options.knex, this.holder, name).catch((releaseError: unknown) => this.warn(`could not hand ${name} back; it expires instead`, releaseError));
      }
    });
  }

  /**
   * Stops the run, then releases the lease. Renewed until then: the batch in flight still holds the
   * lease row (lease-fence.ts), so nobody else could take it anyway, and one left to expire
   * meanwhile would read as owned by nobody for as long as that batch takes on a busy machine.
   */
  private async handOver(name: string): Promise<void> {
    this.held.get(name)!.handingOver = true;
    await this.transition(name, () => this.endRun(name));
    // Lost, or dropped as overdue, while it stopped: not this process's to release any more.
    if (!this.held.get(name)?.handingOver) return;
    this.held.delete(name);
    await releaseLease(this.options.knex, this.holder, name);
  }

  /** Forgets the lease at once (owned() stops listing it); resolves once the work has ended. */
  private stopWork(name: string): Promise<void> {
    this.held.delete(name);
    return this.transition(name, () => this.endRun(name));
  }

  /**
   * Waits for the run to end however long its batch in flight takes: not bounded, because a new run
   * of this process must not start beside that batch. The lease fence cannot keep them apart (both
   * runs fence as one holder, and FOR KEY SHARE locks do not exclude each other), only the
   * checkpoint's compare-and-set would, by failing one of them (the `CheckpointMoved` loops). The
   * lease meanwhile cannot move to another process either: the open batch holds its row. A stop
   * slower than a lease is logged, once, to say what the projection waits for.
   */
  private async endRun(name: string): Promise<void> {
    if (!this.running.delete(name)) return;
    const slow = setTimeout(() => this.logger.warn(`${name} is still stopping: its batch in flight has not ended, and no new run of it starts before it has`), this.ttlMs);
    try {
      await this.work(name)
        .stop()
        .catch((error: unknown) => this.warn(`could not stop ${name}`, error));
    } finally {
      clearTimeout(slow);
    }
  }

  private warn(message: string, error: unknown): void {
    this.logger.warn(`${message}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
