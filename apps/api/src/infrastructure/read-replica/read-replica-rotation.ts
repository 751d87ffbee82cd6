import type { Knex } from '@mpp/db';
import { replicaLag } from './replica-lag.js';

const PROBE_TIMEOUT_MS = 1500;

export interface RotationState {
  configured: boolean;
  inRotation: boolean;
  /** Why the replica is out of rotation; null while it serves. */
  reason: string | null;
  lagMs: number | null;
  checkedAt: string | null;
}

/**
 * Decides, once per interval, whether queries go to the replica: only while it answers, is a
 * standby, and replays within the bound. Out of rotation, queries go to the primary, which is never
 * behind, so read-your-writes keeps holding either way.
 */
export class ReadReplicaRotation {
  private state: RotationState;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly replica: Knex | null,
    private readonly maxLagMs: number,
    private readonly intervalMs = 1000,
  ) {
    // Out until the first check proves it current: a replica still catching up must not serve at start.
    this.state = { configured: replica !== null, inRotation: false, reason: replica ? 'not checked yet' : 'no DATABASE_READ_URL', lagMs: null, checkedAt: null };
  }

  start(): void {
    if (!this.replica) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  current(): RotationState {
    return { ...this.state };
  }

  /** The pool a query should use now. */
  serving(): Knex | null {
    return this.state.inRotation ? this.replica : null;
  }

  async check(): Promise<RotationState> {
    if (!this.replica) return this.current();
    const checkedAt = new Date().toISOString();
    try {
      const lag = await replicaLag(this.replica, PROBE_TIMEOUT_MS);
      const reason = !lag.standby
        ? 'the read database is not a standby'
        : lag.lagMs > this.maxLagMs
          ? `replica replays ${Math.round(lag.lagMs)} ms behind the primary (bound ${this.maxLagMs} ms)${lag.replayPaused ? '; replay is paused' : ''}`
          : null;
      this.state = { configured: true, inRotation: reason === null, reason, lagMs: Math.round(lag.lagMs), checkedAt };
    } catch (error) {
      this.state = { configured: true, inRotation: false, reason: `replica unreachable: ${(error as Error).message}`, lagMs: null, checkedAt };
    }
    return this.current();
  }
}
