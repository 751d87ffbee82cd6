import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { commandEventId } from '@mpp/domain';
import { createTestDatabase, findFreePort, type TestDatabase } from '@mpp/testing';
import { IDS, SMALL_CATALOG } from '../../testing/small-catalog.js';
import { buildApi, startApiProcess, type ApiProcess } from './testing/api-process.js';
import { fitmentChains, submittedVerificationCounts } from './testing/fitment-log.js';
import { devSignIn, send, type Session } from './testing/http-client.js';

const CLIENTS = 50;
const SUBMISSIONS_PER_CLIENT = 6;
const KILLS = 2;
/**
 * How long a careful client keeps retrying one submission. A restart after SIGKILL is a few seconds
 * on a quiet machine; in a loaded CI run 50 clients plus the restart took over 30 s, so the budget is
 * generous: the test is about exactly-once, not about how fast the process comes back.
 */
const RETRY_BUDGET_MS = 90_000;
const PAIRS = [
  { partId: IDS.exhaust, bikeId: IDS.mt07_2021 },
  { partId: IDS.exhaust, bikeId: IDS.mt07_2022 },
  { partId: IDS.pads, bikeId: IDS.mt07_2021 },
  { partId: IDS.pads, bikeId: IDS.mt07_2022 },
];

interface Submission {
  session: Session;
  key: string;
  body: { partId: string; bikeId: string; fits: boolean; notes: string };
  expectedVerificationId: string;
}

/**
 * DESIGN §6: `POST /api/verifications` honours `Idempotency-Key`. The real API process is SIGKILLed
 * twice while 50 riders submit verifications; each rider retries a request that got no answer (or a
 * 503, or "still being processed") with the same key until it is accepted, as a careful client
 * would. Afterwards every accepted command is in the event log exactly once, nothing else is, and
 * every fitment hash chain is intact.
 */
describe('crash safety: the API killed under verification traffic', () => {
  let db: TestDatabase;
  let port: number;
  let api: ApiProcess;

  beforeAll(async () => {
    await buildApi();
    db = await createTestDatabase();
    port = await findFreePort();
    api = await startApiProcess({ databaseUrl: db.apiUrl, port });
    const admin = await devSignIn(api.baseUrl, 'crash-admin@example.com', 'admin');
    const imported = await send(api.baseUrl, { method: 'POST', path: '/api/admin/catalog/import', session: admin, body: SMALL_CATALOG });
    expect(imported.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await api?.kill('SIGTERM');
    await db?.drop();
  });

  it('records every accepted verification exactly once across two SIGKILLs, with intact chains', async () => {
    const riders = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => devSignIn(api.baseUrl, `crash-rider-${i}@example.com`)));
    const plans: Submission[][] = riders.map((session, i) =>
      Array.from({ length: SUBMISSIONS_PER_CLIENT }, (_, j) => {
        const key = `crash-${i}-${j}`;
        return {
          session,
          key,
          body: { ...PAIRS[(i + j) % PAIRS.length]!, fits: (i + j) % 3 !== 0, notes: `rider ${i}, submission ${j}` },
          expectedVerificationId: commandEventId('submit-verification', session.userId, key),
        };
      }),
    );
    const total = CLIENTS * SUBMISSIONS_PER_CLIENT;
    const accepted = new Map<string, { status: number; verificationId: string }>();
    const unexpected: string[] = [];
    let unanswered = 0;
    let killsDone = 0;

    async function submitUntilAccepted(s: Submission): Promise<void> {
      const deadline = Date.now() + RETRY_BUDGET_MS;
      let last = 'no answer';
      while (Date.now() < deadline) {
        const answer = await send(api.baseUrl, {
          method: 'POST',
          path: '/api/verifications',
          session: s.session,
          headers: { 'idempotency-key': s.key },
          body: s.body,
          timeoutMs: 15_000,
        }).catch((error: Error) => ({ failure: error }));
        if ('failure' in answer) {
          // No answer: the process died with the request in flight, or is not listening yet.
          unanswered++;
          last = String(answer.failure.cause ?? answer.failure.message);
        } else if (answer.status === 201) {
          accepted.set(s.key, { status: answer.status, verificationId: (answer.body as { verificationId: string }).verificationId });
          return;
        } else if (answer.status !== 503 && !(answer.status === 409 && /still being processed/.test(answer.text))) {
          unexpected.push(`${s.key}: ${answer.status} ${answer.text}`);
          return;
        } else {
          last = `${answer.status} ${answer.text}`;
        }
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
      unexpected.push(`${s.key}: not accepted within ${RETRY_BUDGET_MS / 1000} s, last answer: ${last}`);
    }

    let clientsDone = false;
    const clients = Promise.all(
      plans.map(async (plan) => {
        for (const submission of plan) await submitUntilAccepted(submission);
      }),
    ).finally(() => (clientsDone = true));

    // Kills are placed by progress, so they land mid-traffic on a slow machine and a fast one alike.
    const killer = (async () => {
      for (let k = 1; k <= KILLS; k++) {
        while (!clientsDone && accepted.size < (total * k) / (KILLS + 1)) await new Promise((r) => setTimeout(r, 5));
        if (clientsDone) return;
        const { signal } = await api.kill('SIGKILL');
        expect(signal).toBe('SIGKILL');
        killsDone++;
        api = await startApiProcess({ databaseUrl: db.apiUrl, port });
      }
    })();

    await Promise.all([clients, killer]);

    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(killsDone).toBe(KILLS);
    // The kills interrupted requests in flight, so the retry path was really exercised.
    expect(unanswered).toBeGreaterThan(0);
    expect(accepted.size).toBe(total);
    const expectedIds = plans.flat().map((s) => s.expectedVerificationId);
    for (const s of plans.flat()) expect(accepted.get(s.key)!.verificationId).toBe(s.expectedVerificationId);

    const counts = await submittedVerificationCounts(db.knex);
    const duplicated = [...counts].filter(([, n]) => n !== 1);
    expect(duplicated).toEqual([]);
    expect([...counts.keys()].sort()).toEqual([...expectedIds].sort());

    const chains = await fitmentChains(db.knex);
    expect(chains.size).toBe(PAIRS.length);
    for (const [stream, chain] of chains) expect({ stream, valid: chain.valid }).toEqual({ stream, valid: true });
  }, 480_000);
});
