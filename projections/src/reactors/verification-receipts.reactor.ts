import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { bikeDecider, bikeStream, foldEvents, partDecider, partStream, type DomainEvent, type VerificationSubmittedData } from '@mpp/domain';
import { StreamNotFound, type EventStore, type RecordedEvent } from '@mpp/event-store';
import { defineProjection, type ProjectionDefinition } from '@mpp/projection-runner';
import { receiptsLeftToday } from './receipts-per-day.js';

export const VERIFICATION_RECEIPTS = 'verification-receipts';

/** What the receipt mail shows (the API's mail templates render it; `MailData['verification-received']`). */
export interface ReceiptMailData {
  verificationId: string;
  partId: string;
  partName: string;
  partSlug?: string;
  bikeName: string;
  fits: boolean;
}

/** The receipt's subject line, one wording for the outbox row and the API's template. */
export const receiptSubject = (data: Pick<ReceiptMailData, 'partName'>) => `Thanks: your verification of ${data.partName} is recorded`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNDEFINED_TABLE = '42P01';

/**
 * Mails a contributor a receipt for each VerificationSubmitted. Appending the event and writing the
 * outbox cannot share a transaction (the event store may be EventStoreDB), so this reactor follows
 * the global log on the projection runner: the receipts of a batch are queued in the outbox in the
 * batch's transaction, with the checkpoint. A crash before commit redoes the batch, after it skips
 * it; a batch handled again meets the dedupe key `verification-received:{eventId}`. Either way:
 * exactly one receipt per event, however the runner's generations come and go.
 *
 * A reactor (`kind: 'reactor'`): its first generation starts at the head of the log, so riders who
 * verified before receipts existed get none, and a rebuild goes on from where it was instead of
 * mailing the past again (docs/projections.md, "Reactors"). A receipt that cannot be written is
 * parked in the dead letters with its error; the other riders' receipts go on.
 */
export function verificationReceiptsReactor(store: Pick<EventStore, 'readStream'>): ProjectionDefinition {
  return defineProjection({
    name: VERIFICATION_RECEIPTS,
    version: 1,
    kind: 'reactor',
    tables: [],
    createTables: async () => {},
    onPoisonEvent: 'park',
    eventTypes: ['VerificationSubmitted'],
    applyBatch: async (events, { trx }) => {
      const receipts = await receiptsFor(trx, store, events);
      const left = await receiptsLeftToday(trx, [...new Set(receipts.map((r) => r.userId))]);
      for (const receipt of receipts) {
        const allowance = left.get(receipt.userId) ?? 0;
        if (allowance === 0) continue;
        const queued = await trx('email_outbox')
          .insert({
            id: randomUUID(),
            kind: 'verification-received',
            to_user_id: receipt.userId,
            subject: receiptSubject(receipt.data),
            data: JSON.stringify(receipt.data),
            dedupe_key: `verification-received:${receipt.eventId}`,
          })
          .onConflict('dedupe_key')
          .ignore()
          .returning('id');
        if (queued.length === 1) left.set(receipt.userId, allowance - 1);
      }
    },
  });
}

interface Receipt {
  eventId: string;
  userId: string;
  data: ReceiptMailData;
}

async function receiptsFor(trx: Knex.Transaction, store: Pick<EventStore, 'readStream'>, events: readonly RecordedEvent[]): Promise<Receipt[]> {
  const submitted = events.map((e) => ({ eventId: e.eventId, data: e.data as unknown as VerificationSubmittedData }));
  const recipients = await wantingReceipts(trx, [...new Set(submitted.map((s) => s.data.userId))]);
  const receipts: Receipt[] = [];
  for (const { eventId, data } of submitted) {
    if (!recipients.has(data.userId)) continue;
    const [part, bikeName] = await Promise.all([partOf(trx, store, data.partId), bikeNameOf(store, data.bikeId)]);
    receipts.push({
      eventId,
      userId: data.userId,
      data: { verificationId: data.verificationId, partId: data.partId, partName: part.name, bikeName, fits: data.fits, ...(part.slug ? { partSlug: part.slug } : {}) },
    });
  }
  return receipts;
}

/** Accounts that exist, are not erased and have not turned receipts off: asked of a function, as the projector may not read `users` (migration 0029). */
async function wantingReceipts(trx: Knex.Transaction, userIds: string[]): Promise<Set<string>> {
  const ids = userIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return new Set();
  const { rows } = await trx.raw<{ rows: { id: string }[] }>('SELECT id FROM mpp_receipt_recipients(?::uuid[]) AS id', [ids]);
  return new Set(rows.map((r) => r.id));
}

/** Names from the event store, which always has the part (the verification was accepted against it); the slug from the read model when it has caught up. */
async function partOf(trx: Knex.Transaction, store: Pick<EventStore, 'readStream'>, partId: string): Promise<{ name: string; slug?: string }> {
  const state = foldEvents(partDecider, await streamEvents(store, partStream(partId)));
  const name = state.status === 'cataloged' ? `${state.part.brand} ${state.part.name}` : 'a part';
  return { name, slug: await partSlug(trx, partId) };
}

async function partSlug(trx: Knex.Transaction, partId: string): Promise<string | undefined> {
  try {
    // In a savepoint: a missing view must not abort the batch's transaction.
    const row = await trx.transaction((savepoint) => savepoint('parts').where({ id: partId }).first('slug'));
    return row?.slug as string | undefined;
  } catch (error) {
    // No catalog view yet (the catalog's first generation is still building): the mail links by id instead.
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
    throw error;
  }
}

async function bikeNameOf(store: Pick<EventStore, 'readStream'>, bikeId: string): Promise<string> {
  const state = foldEvents(bikeDecider, await streamEvents(store, bikeStream(bikeId)));
  if (state.status !== 'registered') return 'your bike';
  const { year, make, model, trim } = state.bike;
  return [year, make, model, trim].filter((part) => part !== undefined && part !== null && part !== '').join(' ');
}

async function streamEvents(store: Pick<EventStore, 'readStream'>, stream: string): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  try {
    for await (const event of store.readStream(stream)) events.push({ type: event.type, data: event.data } as DomainEvent);
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return events;
}
