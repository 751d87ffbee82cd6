import { describe, expect, it } from '@jest/globals';
import { createKnex } from '@mpp/db';
import { IntegrationCallFailed } from './integration-call-failed.js';
import { IntegrationErrors } from './integration-errors.js';
import { Resilience } from './resilience.js';

// Nothing here records a failure (recordFailure: false), so this pool never connects; if it did, the test would fail.
const errors = new IntegrationErrors(createKnex('postgres://nobody@127.0.0.1:1/none'));
const fast = { initialDelayMs: 1, maxDelayMs: 5, timeoutMs: 200, retries: 2, breakerThreshold: 3, halfOpenAfterMs: 60_000 };
const quiet = { recordFailure: false } as const;

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}
const transientHttp = (error: unknown) => !(error instanceof HttpError) || error.status >= 500;

describe('Resilience', () => {
  it('retries a transient failure and returns the first success', async () => {
    const caller = new Resilience(errors, fast).for('flaky');
    let calls = 0;
    const result = await caller.call('op', async () => {
      calls += 1;
      if (calls < 3) throw new HttpError(503);
      return 'ok';
    }, { ...quiet, isTransient: transientHttp });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after the configured retries with a typed, transient failure', async () => {
    const caller = new Resilience(errors, fast).for('down');
    let calls = 0;
    const failure = await caller.call('op', async () => {
      calls += 1;
      throw new HttpError(500);
    }, quiet).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IntegrationCallFailed);
    expect(failure).toMatchObject({ integration: 'down', operation: 'op', transient: true });
    expect(calls).toBe(3);
  });

  it('does not retry what the caller calls non-transient', async () => {
    const caller = new Resilience(errors, fast).for('strict');
    let calls = 0;
    const failure = await caller.call('op', async () => {
      calls += 1;
      throw new HttpError(422);
    }, { ...quiet, isTransient: transientHttp }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ transient: false });
    expect((failure as Error).cause).toBeInstanceOf(HttpError);
    expect(calls).toBe(1);
  });

  it('times out a call that hangs and aborts its signal', async () => {
    const caller = new Resilience(errors, { ...fast, retries: 0, timeoutMs: 30 }).for('slow');
    let aborted = false;
    const failure = await caller.call('op', (signal) =>
      new Promise((resolve) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          resolve('too late');
        });
      }), quiet).catch((e: unknown) => e);
    expect(failure).toMatchObject({ timedOut: true, transient: true });
    expect(aborted).toBe(true);
  });

  it('opens the circuit after consecutive failures and then fails fast without calling', async () => {
    const resilience = new Resilience(errors, { ...fast, retries: 0 });
    const caller = resilience.for('broken');
    let calls = 0;
    const failing = () => caller.call('op', async () => {
      calls += 1;
      throw new HttpError(502);
    }, quiet).catch((e: unknown) => e);
    for (let i = 0; i < 3; i += 1) await failing();
    expect(calls).toBe(3);
    const fastFailure = await failing();
    expect(calls).toBe(3);
    expect(fastFailure).toMatchObject({ circuitOpen: true });
    // The breaker belongs to the integration: every caller of it sees it open.
    expect(resilience.for('broken')).toBe(caller);
  });

  it('does not count non-transient failures against the circuit', async () => {
    const caller = new Resilience(errors, { ...fast, retries: 0 }).for('picky');
    for (let i = 0; i < 5; i += 1) {
      await caller.call('op', async () => { throw new HttpError(400); }, { ...quiet, isTransient: transientHttp }).catch((e: unknown) => e);
    }
    expect(await caller.call('op', async () => 'still open for business', quiet)).toBe('still open for business');
  });
});
