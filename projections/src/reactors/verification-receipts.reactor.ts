import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { bikeDecider, bikeStream, foldEvents, partDecider, partStream, type DomainEvent, type VerificationSubmittedData } from '@mpp/domain';
import type { EventStore, RecordedEvent } from '@mpp/event-store';
import { RetryLater, defineProjection, type ProjectionDefinition } from '@mpp/projection-runner';
import { RECEIPTS_PER_DAY } from './receipts-per-day.js';

export const VERIFICATION_RECEIPTS = 'verification-receipts';
/** The outbox's kind of a receipt, and the prefix of its dedupe key. */
const RECEIPT_KIND = 'verification-received';

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
export function verificationReceiptsReactor(store: Pick<EventStore, 'readStreams'>): ProjectionDefinition {
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
      await queueWithinAllowance(trx, receipts);
    },
  });
}

interface Receipt {
  eventId: string;
  userId: string;
  /** Receipts the rider may still get today, this batch's included. */
  allowance: number;
  data: ReceiptMailData;
}

/**
 * The batch's receipts for the riders who want them, each with what its rider may still get today:
 * one statement for the riders (and whether the catalog's view exists yet), then one read of every
 * part's and bike's stream beside one of the parts' slugs, whatever the batch's size.
 */
async function receiptsFor(trx: Knex.Transaction, store: Pick<EventStore, 'readStreams'>, events: readonly RecordedEvent[]): Promise<Receipt[]> {
  const submitted = events.map((e) => ({ eventId: e.eventId, data: e.data as unknown as VerificationSubmittedData }));
  const { allowances, catalog } = await recipientsWithAllowance(trx, [...new Set(submitted.map((s) => s.data.userId))]);
  const wanted = submitted.filter((s) => allowances.has(s.data.userId));
  if (wanted.length === 0) return [];
  const partIds = [...new Set(wanted.map((s) => s.data.partId))];
  const bikeIds = [...new Set(wanted.map((s) => s.data.bikeId))];
  const [streams, slugs] = await Promise.all([
    store.readStreams([...partIds.map(partStream), ...bikeIds.map(bikeStream)]),
    catalog ? partSlugs(trx, partIds) : new Map<string, string>(),
  ]);
  const domainEvents = (stream: string) => streams.get(stream)!.map((event) => ({ type: event.type, data: event.data }) as DomainEvent);
  return wanted.map(({ eventId, data }) => {
    const partSlug = slugs.get(data.partId.toLowerCase());
    return {
      eventId,
      userId: data.userId,
      allowance: allowances.get(data.userId)!,
      data: {
        verificationId: data.verificationId,
        partId: data.partId,
        partName: partNameOf(domainEvents(partStream(data.partId))),
        bikeName: bikeNameOf(domainEvents(bikeStream(data.bikeId))),
        fits: data.fits,
        ...(partSlug ? { partSlug } : {}),
      },
    };
  });
}

/**
 * Accounts that exist, are not erased and have not turned receipts off (asked of a function, as the
 * projector may not read `users`, migration 0029), with the receipts each may still get in the
 * current 24 hours (the outbox is the counter); and whether the catalog's `parts` view exists, which
 * it does not while the catalog's first generation is still building.
 */
async function recipientsWithAllowance(trx: Knex.Transaction, userIds: string[]): Promise<{ allowances: Map<string, number>; catalog: boolean }> {
  const ids = userIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return { allowances: new Map(), catalog: false };
  const { rows } = await trx.raw<{ rows: { id: string; sent: number; catalog: boolean }[] }>(
    `SELECT r.id::text AS id,
            (SELECT count(*)::int FROM email_outbox o
              WHERE o.kind = ? AND o.to_user_id = r.id AND o.created_at > now() - interval '24 hours') AS sent,
            to_regclass('parts') IS NOT NULL AS catalog
       FROM mpp_receipt_recipients(?::uuid[]) AS r(id)`,
    [RECEIPT_KIND, ids],
  );
  // The ids come back in the database's spelling (lower case); the events may spell them otherwise.
  const spelled = new Map(ids.map((id) => [id.toLowerCase(), id]));
  return {
    allowances: new Map(rows.map((row) => [spelled.get(row.id) ?? row.id, Math.max(0, RECEIPTS_PER_DAY - row.sent)])),
    catalog: rows[0]?.catalog ?? false,
  };
}

/**
 * One insert for the batch: per rider, in log order, the receipts not queued already (a batch
 * handled again meets its own dedupe keys) up to the rider's allowance.
 */
async function queueWithinAllowance(trx: Knex.Transaction, receipts: readonly Receipt[]): Promise<void> {
  if (receipts.length === 0) return;
  const rows = receipts.map((receipt, order) => ({
    order,
    id: randomUUID(),
    to_user_id: receipt.userId,
    subject: receiptSubject(receipt.data),
    data: receipt.data,
    dedupe_key: `${RECEIPT_KIND}:${receipt.eventId}`,
    allowance: receipt.allowance,
  }));
  await trx.raw(
    `INSERT INTO email_outbox (id, kind, to_user_id, subject, data, dedupe_key)
     SELECT c.id, ?, c.to_user_id, c.subject, c.data, c.dedupe_key
       FROM (SELECT r.*, row_number() OVER (PARTITION BY r.to_user_id ORDER BY r."order") AS nth
               FROM jsonb_to_recordset(?::jsonb) AS r("order" int, id uuid, to_user_id uuid, subject text, data jsonb, dedupe_key text, allowance int)
              WHERE NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.dedupe_key = r.dedupe_key)) c
      WHERE c.nth <= c.allowance
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [RECEIPT_KIND, JSON.stringify(rows)],
  );
}

/** Names from the event store, which always has the part (the verification was accepted against it). */
function partNameOf(events: DomainEvent[]): string {
  const state = foldEvents(partDecider, events);
  return state.status === 'cataloged' ? `${state.part.brand} ${state.part.name}` : 'a part';
}

/** The slugs from the read model, for the parts it has caught up with (its view exists: checked in this transaction). */
async function partSlugs(trx: Knex.Transaction, partIds: string[]): Promise<Map<string, string>> {
  try {
    const rows = await trx('parts').whereIn('id', partIds).select<{ id: string; slug: string }[]>('id', 'slug');
    return new Map(rows.map((row) => [row.id.toLowerCase(), row.slug]));
  } catch (error) {
    // The view went away after it was seen (no code drops it today): the transaction is lost, the
    // batch is tried again from the start, never parked for it.
    if ((error as { code?: string }).code === UNDEFINED_TABLE) throw new RetryLater('the catalog view went away while the receipts read it');
    throw error;
  }
}

function bikeNameOf(events: DomainEvent[]): string {
  const state = foldEvents(bikeDecider, events);
  if (state.status !== 'registered') return 'your bike';
  const { year, make, model, trim } = state.bike;
  return [year, make, model, trim].filter((part) => part !== undefined && part !== null && part !== '').join(' ');
}
