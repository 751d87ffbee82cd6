import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { readUserKeys } from '@mpp/db';
import { fitmentStream, openPersonalText } from '@mpp/domain';
import { createPostgresEventStore, verifyFitmentChains, type EventStore } from '@mpp/event-store';
import { exportEventLog } from '@mpp/event-store/export';
import { qualify, replayIntoSchema, type ProjectionDefinition } from '@mpp/projection-runner';
import { ALL_PROJECTIONS, BUILDS, VERIFICATION_LOG } from '@mpp/projections';
import { startApiUnderTest, type ApiUnderTest } from '../../testing/api-under-test.js';
import { importSmallCatalog } from '../../testing/catalog-fixture.js';
import { startProjectorUnderTest, type ProjectorUnderTest } from '../../testing/projector-under-test.js';
import { signIn, type SignedIn } from '../../testing/sign-in.js';
import { IDS } from '../../testing/small-catalog.js';

/**
 * Issue #20 must-show 3: after DELETE /api/me the rider's notes are gone from every read model,
 * export and search document, every hash chain still verifies (what `mpp audit verify` checks),
 * and the account data is gone or anonymised as docs/reliability.md "Erasure" states. The markers are words that appear
 * nowhere else, so "not found anywhere" means the text itself is gone, not just one column.
 */
const VERIFIER = resolve(__dirname, '../../../../../tools/audit/verify-offline.mjs');

describe('erasure: DELETE /api/me shreds the rider’s text and keeps every chain intact', () => {
  let api: ApiUnderTest;
  let projector: ProjectorUnderTest;
  let store: EventStore;
  let rider: SignedIn;
  let other: SignedIn;
  let admin: SignedIn;
  const { privateKey } = generateKeyPairSync('ed25519');
  const http = () => request(api.app.getHttpServer());
  const NOTE = 'Quokkamarker exhaust bolted straight on';
  const REASON = 'Zebrafinch reason: wrong year after all';
  const OTHERS_NOTE = 'Pangolin fits with the stock hanger';
  const BUILD_NAME = 'Ocelotmarker Alps tourer';
  const RENAMED = 'Ocelotmarker renamed for the track';
  const PART_NOTE = 'Narwhalnote front pads only';
  /** Every rider-written text of the erased rider's build; none may be readable after erasure. */
  const BUILD_MARKERS = ['Ocelotmarker', 'Narwhalnote', 'Weekend build'];
  let lastPosition = 0;
  let buildId = '';

  const post = (who: SignedIn, path: string, body: object) => http().post(path).set('Cookie', who.cookie).set('X-CSRF-Token', who.csrfToken).send(body);
  const trail = (partId: string) => http().get(`/api/parts/${partId}/verifications`).set('X-Min-Position', String(lastPosition));

  beforeAll(async () => {
    api = await startApiUnderTest({ AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    projector = await startProjectorUnderTest(api.db);
    store = createPostgresEventStore({ connectionString: api.db.url, applicationName: 'mpp-erasure-test' });
    await importSmallCatalog(api.app);
    rider = await signIn(api.app, 'erased-rider@example.com');
    other = await signIn(api.app, 'staying-rider@example.com');
    admin = await signIn(api.app, 'admin@example.com', 'admin');

    const kept = await post(rider, '/api/verifications', { partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true, notes: NOTE }).expect(201);
    const retracted = await post(rider, '/api/verifications', { partId: IDS.pads, bikeId: IDS.mt07_2021, fits: false, notes: `${NOTE} (pads)` }).expect(201);
    await post(rider, `/api/verifications/${retracted.body.verificationId}/retract`, { reason: REASON }).expect(200);
    await post(rider, '/api/builds', { name: 'Weekend build', bikeId: IDS.mt07_2021, parts: [{ partId: IDS.exhaust, quantity: 1 }] }).expect(201);
    const build = await post(rider, '/api/builds', {
      name: BUILD_NAME,
      bikeId: IDS.mt07_2021,
      visibility: 'unlisted',
      parts: [{ partId: IDS.exhaust, quantity: 1 }, { partId: IDS.pads, quantity: 2, note: PART_NOTE }],
    }).expect(201);
    buildId = build.body.id;
    const renamed = await http()
      .put(`/api/builds/${buildId}`)
      .set('Cookie', rider.cookie)
      .set('X-CSRF-Token', rider.csrfToken)
      .set('If-Match', build.headers.etag)
      .send({ name: RENAMED })
      .expect(200);
    await post(rider, `/api/builds/${buildId}/share`, { email: 'friend@example.net' }).expect(202);
    // Alerts are a Pro feature; the plan comes from Stripe, which this test does not run.
    await api.db.knex('users').where({ id: rider.userId }).update({ plan: 'pro' });
    await post(rider, '/api/alerts', { partId: IDS.exhaust, targetPriceCents: 1000 }).expect(201);
    expect(await rowsWhere('price_alerts', { user_id: rider.userId })).toHaveLength(1);
    const others = await post(other, '/api/verifications', { partId: IDS.exhaust, bikeId: IDS.mt07_2021, fits: true, notes: OTHERS_NOTE }).expect(201);
    lastPosition = Math.max(kept.body.position, others.body.position, renamed.body.position);
  });
  afterAll(async () => {
    await store?.close();
    await projector?.stop();
    await api?.close();
  });

  const rowsWhere = (table: string, where: Record<string, string>): Promise<unknown[]> => api.db.knex(table).where(where).select();

  /** Every row of every read model and search document, as text. */
  async function readModelText(): Promise<string> {
    const tables = ALL_PROJECTIONS.flatMap((projection) => projection.tables);
    const texts = await Promise.all(tables.map(async (table) => (await api.db.knex.raw(`SELECT coalesce(string_agg(to_jsonb(t)::text, E'\\n'), '') AS text FROM ${table} t`)).rows[0].text as string));
    return texts.join('\n');
  }

  /** The whole log as `mpp events export` writes it. */
  async function exported(format: 'ndjson' | 'csv'): Promise<string> {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const { interrupted } = await exportEventLog(out, { store, knex: api.db.knex }, { types: [], format });
    expect(interrupted).toBe(false);
    return chunks.join('');
  }

  /** A projection rebuilt from position 0 into a scratch schema, as `mpp projections replay` does. */
  async function replayed(projection: ProjectionDefinition, schema: string): Promise<void> {
    expect((await replayIntoSchema({ knex: api.db.knex, store, projection, schema, signal: new AbortController().signal })).outcome).toBe('caught_up');
  }

  async function analyticsText(): Promise<string> {
    const views = ['verification_submitted', 'build_created', 'build_updated'];
    const texts = await Promise.all(views.map(async (view) => (await api.db.knex.raw(`SELECT coalesce(string_agg(to_jsonb(v)::text, E'\\n'), '') AS text FROM analytics.${view} v`)).rows[0].text as string));
    return texts.join('\n');
  }

  /** The stored rows of the build streams, as the JSON PostgreSQL keeps: what a backup or a DBA sees. */
  async function storedBuildEvents(): Promise<string> {
    const rows = await api.db.knex('events').where('stream_id', 'like', 'build-%').orderBy('position').select('type', 'data', 'metadata');
    expect(rows.length).toBeGreaterThanOrEqual(4);
    return JSON.stringify(rows);
  }

  it('never writes the text into the log: the chain covers a commitment, the ciphertext opens only with the rider’s key', async () => {
    const [event] = await api.db.knex('events').where({ stream_id: fitmentStream(IDS.exhaust, IDS.mt07_2021), type: 'VerificationSubmitted' }).orderBy('revision').select('data', 'metadata');
    expect(JSON.stringify(event)).not.toContain('Quokkamarker');
    expect(event.data.notes).toEqual({ commitment: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const keys = await readUserKeys(api.db.knex, [rider.userId]);
    expect(openPersonalText('VerificationSubmitted', event.data, event.metadata, keys).data.notes).toBe(NOTE);
    expect((await trail(IDS.exhaust).expect(200)).body.items.map((item: { notes: string | null }) => item.notes).sort()).toEqual([NOTE, OTHERS_NOTE].sort());
    expect(await readModelText()).toContain('Zebrafinch');
  });

  it('never writes a build’s name or part notes into the log, yet shows them to their owner', async () => {
    const stored = await storedBuildEvents();
    for (const marker of BUILD_MARKERS) expect(stored).not.toContain(marker);
    const [created, updated] = await api.db.knex('events').where({ stream_id: `build-${buildId}` }).orderBy('revision').select('data', 'metadata');
    expect(created.data.name).toEqual({ commitment: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(updated.data).toMatchObject({ ownerId: rider.userId, parts: [{ partId: IDS.exhaust, quantity: 1 }, { partId: IDS.pads, quantity: 2, note: { commitment: expect.any(String) } }] });
    expect(Object.keys(updated.metadata.sealed).sort()).toEqual(['name', 'parts.1.note']);
    const shown = await http().get(`/api/builds/${buildId}`).set('Cookie', rider.cookie).set('X-Min-Position', String(lastPosition)).expect(200);
    expect(shown.body).toMatchObject({ name: RENAMED, parts: expect.arrayContaining([expect.objectContaining({ note: PART_NOTE })]) });
    expect(await api.db.knex('email_outbox').where({ kind: 'build-shared' }).andWhereRaw(`data->>'sharedByUserId' = ?`, [rider.userId]).select('id')).toHaveLength(1);
  });

  it('asks for the CSRF token like every other cookie-authenticated mutation', async () => {
    await http().delete('/api/me').set('Cookie', rider.cookie).expect(403);
    await http().delete('/api/me').expect(401);
  });

  it('erases: 204, the session ends, and the text is gone from read models, search documents, exports and analytics views', async () => {
    const erased = await http().delete('/api/me').set('Cookie', rider.cookie).set('X-CSRF-Token', rider.csrfToken).expect(204);
    lastPosition = Number(erased.headers['x-position']);
    expect(lastPosition).toBeGreaterThan(0);
    await http().get('/api/me').set('Cookie', rider.cookie).expect(401);

    const exhaustTrail = await trail(IDS.exhaust).expect(200);
    expect(exhaustTrail.headers['x-consistent']).toBe('true');
    const riderRows = exhaustTrail.body.items.filter((item: { contributor: { displayName: string } }) => item.contributor.displayName === 'Former rider');
    expect(riderRows).toEqual([expect.objectContaining({ fits: true, notes: null })]);
    expect(exhaustTrail.body.items).toContainEqual(expect.objectContaining({ notes: OTHERS_NOTE }));

    const readModels = await readModelText();
    for (const marker of ['Quokkamarker', 'Zebrafinch', ...BUILD_MARKERS]) expect(readModels).not.toContain(marker);
    expect(readModels).toContain('Pangolin');
    for (const text of [await exported('ndjson'), await exported('csv'), await analyticsText(), await storedBuildEvents()]) {
      for (const marker of ['Quokkamarker', 'Zebrafinch', ...BUILD_MARKERS]) expect(text).not.toContain(marker);
    }
    await http().get(`/api/builds/${buildId}`).set('X-Min-Position', String(lastPosition)).expect(404);
    expect(await api.db.knex('email_outbox').where({ kind: 'build-shared' }).andWhereRaw(`data->>'sharedByUserId' = ?`, [rider.userId]).select('id')).toEqual([]);
  });

  it('leaves every hash chain intact: re-verified from the store, the offline verifier on the export, and the chain as stored in the read model', async () => {
    const chains = await verifyFitmentChains({ store, knex: api.db.knex });
    expect(chains.streams).toBeGreaterThan(0);
    expect(chains.broken).toEqual([]);
    expect((await trail(IDS.exhaust).expect(200)).body.chainValid).toBe(true);

    const checkpoint = await http().post('/api/admin/audit/checkpoints').set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrfToken).expect(201);
    const dir = mkdtempSync(join(tmpdir(), 'mpp-erasure-'));
    try {
      writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify(checkpoint.body));
      writeFileSync(join(dir, 'public-key.json'), JSON.stringify((await http().get('/api/audit/public-key').expect(200)).body));
      writeFileSync(join(dir, 'events.ndjson'), await exported('ndjson'));
      const args = ['--checkpoint', join(dir, 'checkpoint.json'), '--public-key', join(dir, 'public-key.json'), '--export', join(dir, 'events.ndjson')];
      const offline = spawnSync(process.execPath, [VERIFIER, ...args], { encoding: 'utf8', timeout: 30_000 });
      expect({ code: offline.status, out: offline.stdout }).toEqual({ code: 0, out: expect.stringMatching(/^intact/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shreds the key, so no rebuild or reader of the log can open the text again', async () => {
    expect(await readUserKeys(api.db.knex, [rider.userId])).toEqual(new Map());
    await replayed(ALL_PROJECTIONS.find(({ name }) => name === 'verification-log')!, 'scratch_erasure_replay');
    const { rows } = await api.db.knex.raw(`SELECT notes, retraction_reason, user_id FROM ${qualify('scratch_erasure_replay', VERIFICATION_LOG)}`);
    expect(rows.filter((row: { user_id: string }) => row.user_id === rider.userId).map((row: { notes: string | null; retraction_reason: string | null }) => [row.notes, row.retraction_reason])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(rows.map((row: { notes: string | null }) => row.notes)).toContain(OTHERS_NOTE);
    const [event] = await api.db.knex('events').where({ stream_id: fitmentStream(IDS.exhaust, IDS.mt07_2021), type: 'VerificationSubmitted' }).orderBy('revision').select('data', 'metadata');
    expect(openPersonalText('VerificationSubmitted', event.data, event.metadata, new Map()).unreadable).toEqual([{ field: 'notes', reason: 'erased' }]);
    const [, updated] = await api.db.knex('events').where({ stream_id: `build-${buildId}` }).orderBy('revision').select('data', 'metadata');
    expect(openPersonalText('BuildUpdated', updated.data, updated.metadata, new Map()).unreadable.map((item) => item.field)).toEqual(['name', 'parts.1.note']);
  });

  it('rebuilds every projection from position 0 after the erasure without any of the rider’s text', async () => {
    const texts: string[] = [];
    for (const projection of ALL_PROJECTIONS) {
      const schema = `scratch_erased_${projection.name.replaceAll('-', '_')}`;
      await replayed(projection, schema);
      for (const table of projection.tables) {
        texts.push((await api.db.knex.raw(`SELECT coalesce(string_agg(to_jsonb(t)::text, E'\\n'), '') AS text FROM ${qualify(schema, table)} t`)).rows[0].text);
      }
    }
    const rebuilt = texts.join('\n');
    for (const marker of ['Quokkamarker', 'Zebrafinch', ...BUILD_MARKERS]) expect(rebuilt).not.toContain(marker);
    expect(rebuilt).toContain('Pangolin');
    const { rows } = await api.db.knex.raw(`SELECT id FROM ${qualify('scratch_erased_builds', BUILDS)} WHERE owner_id = ?`, [rider.userId]);
    expect(rows).toEqual([]);
  });

  it('anonymises the account row and deletes sessions, alerts and builds, as docs/reliability.md states', async () => {
    const user = await api.db.knex('users').where({ id: rider.userId }).first();
    expect(user).toMatchObject({ display_name: 'Former rider', email_encrypted: '', email_hash: `erased:${rider.userId}`, google_subject: null, stripe_customer_id: null, plan: 'free' });
    expect(user.erased_at).toBeInstanceOf(Date);
    for (const table of ['sessions', 'price_alerts', 'idempotency_keys', 'user_keys']) expect(await rowsWhere(table, { user_id: rider.userId })).toEqual([]);
    expect(await rowsWhere(BUILDS, { owner_id: rider.userId })).toEqual([]);
    const buildEvents = await api.db.knex('events').where('stream_id', 'like', 'build-%').whereRaw(`data->>'buildId' IN (SELECT data->>'buildId' FROM events WHERE type = 'BuildCreated' AND data->>'ownerId' = ?)`, [rider.userId]).pluck('type');
    expect(buildEvents).toContain('BuildDeleted');
    // The other rider is untouched.
    expect(await api.db.knex('users').where({ id: other.userId }).first('display_name', 'erased_at')).toEqual({ display_name: 'staying-rider', erased_at: null });
  });

  it('lets an admin erase an account on request, and answers 404 for an unknown one', async () => {
    const target = await signIn(api.app, 'asks-by-mail@example.com');
    await http().delete(`/api/admin/users/${target.userId}`).set('Cookie', target.cookie).set('X-CSRF-Token', target.csrfToken).expect(403);
    await http().delete(`/api/admin/users/${target.userId}`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrfToken).expect(204);
    expect(await api.db.knex('users').where({ id: target.userId }).first('display_name')).toEqual({ display_name: 'Former rider' });
    await http().delete('/api/admin/users/00000000-0000-4000-8000-000000000000').set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrfToken).expect(404);
  });

  it('refuses a note with an email address or a phone number, naming the field', async () => {
    for (const notes of ['mail me at rider@example.com', 'call 555-123-4567 for photos']) {
      const res = await post(other, '/api/verifications', { partId: IDS.pads, bikeId: IDS.mt07_2022, fits: true, notes }).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'notes', message: expect.stringMatching(/must not contain an (email address|phone number)/) }]);
    }
  });
});
