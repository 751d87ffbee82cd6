import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { bikeDecider, bikeStream, partDecider, partStream, type VerificationSubmittedData } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import type { EventStore, RecordedEvent } from '@mpp/event-store';
import { StreamCommands } from '../commands/stream-commands.js';
import { EVENT_STORE, KNEX } from '../infrastructure/tokens.js';
import type { MailData } from '../mail/mail-kinds.js';
import { receiptsLeftToday } from '../mail/outgoing-mail-cap.js';
import { OutboxWriter } from '../mail/outbox-writer.js';
import { ReactorCheckpoints } from './reactor-checkpoints.js';

export const VERIFICATION_RECEIPTS = 'verification-receipts';
const BATCH = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNDEFINED_TABLE = '42P01';

/** Rolls the batch's mails back: another consumer already passed these events. */
class CheckpointMoved extends Error {
  override readonly name = 'CheckpointMoved';
}

export interface ReactorProgress {
  events: number;
  mails: number;
  /** Receipts not sent because their rider had reached the daily cap (RECEIPTS_PER_DAY). */
  capped: number;
  position: bigint;
  /** Another consumer advanced the checkpoint first; this batch's mails were rolled back. */
  lostRace: boolean;
}

/**
 * Mails a contributor a receipt for each VerificationSubmitted. Appending the event and writing
 * the outbox cannot share a transaction (the event store may be EventStoreDB), so this reactor
 * follows the global log instead: per batch, the receipts (dedupe key `verification-received:{eventId}`)
 * and the checkpoint move in one transaction. A crash before commit redoes the batch, after it
 * skips it; a replayed batch meets the dedupe keys. Either way: exactly one receipt per event.
 *
 * A fresh install starts at the head of the log when the API first boots: riders who verified
 * before receipts existed get none.
 */
@Injectable()
export class VerificationReceiptsReactor implements OnApplicationBootstrap {
  private readonly logger = new Logger('VerificationReceipts');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KNEX) private readonly knex: Knex,
    private readonly checkpoints: ReactorCheckpoints,
    private readonly streams: StreamCommands,
    private readonly outbox: OutboxWriter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.startingPoint();
    } catch (error) {
      // The first job run creates it instead; the API must not refuse to start over a receipt mail.
      this.logger.warn({ err: error }, 'could not create the verification receipts checkpoint at start-up');
    }
  }

  /** Handles the next batch after the checkpoint; `events` is 0 when caught up. */
  async processNextBatch(): Promise<ReactorProgress> {
    const from = await this.startingPoint();
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ fromPosition: from, maxCount: BATCH })) events.push(event);
    if (events.length === 0) return { events: 0, mails: 0, capped: 0, position: from, lostRace: false };
    const last = events[events.length - 1]!.position;

    const receipts = await this.receiptsFor(events.filter((e) => e.type === 'VerificationSubmitted'));
    try {
      return await this.knex.transaction(async (trx) => {
        let mails = 0;
        let capped = 0;
        const left = await receiptsLeftToday(trx, [...new Set(receipts.map((r) => r.userId))]);
        for (const receipt of receipts) {
          const allowance = left.get(receipt.userId) ?? 0;
          if (allowance === 0) {
            capped++;
            continue;
          }
          const data = receipt.data;
          if (await this.outbox.enqueue(trx, { kind: 'verification-received', to: { userId: receipt.userId }, data, dedupeKey: `verification-received:${receipt.eventId}` })) {
            mails++;
            left.set(receipt.userId, allowance - 1);
          }
        }
        if (!(await this.checkpoints.advance(trx, VERIFICATION_RECEIPTS, from, last))) throw new CheckpointMoved();
        return { events: events.length, mails, capped, position: last, lostRace: false };
      });
    } catch (error) {
      if (error instanceof CheckpointMoved) return { events: events.length, mails: 0, capped: 0, position: from, lostRace: true };
      throw error;
    }
  }

  private async startingPoint(): Promise<bigint> {
    return (await this.checkpoints.read(VERIFICATION_RECEIPTS)) ?? this.checkpoints.ensure(VERIFICATION_RECEIPTS, await this.store.headPosition());
  }

  private async receiptsFor(events: RecordedEvent[]): Promise<{ eventId: string; userId: string; data: MailData['verification-received'] }[]> {
    if (events.length === 0) return [];
    const submitted = events.map((e) => ({ eventId: e.eventId, data: e.data as unknown as VerificationSubmittedData }));
    const recipients = await this.recipients([...new Set(submitted.map((s) => s.data.userId))]);
    const receipts = [];
    for (const { eventId, data } of submitted) {
      if (!recipients.has(data.userId)) continue;
      const [part, bikeName] = await Promise.all([this.partOf(data.partId), this.bikeNameOf(data.bikeId)]);
      receipts.push({
        eventId,
        userId: data.userId,
        data: {
          verificationId: data.verificationId,
          partId: data.partId,
          partName: part.name,
          bikeName,
          fits: data.fits,
          ...(part.slug ? { partSlug: part.slug } : {}),
        },
      });
    }
    return receipts;
  }

  /** Accounts that exist, are not erased, and have not turned receipts off (`verificationReceipts: false`). */
  private async recipients(userIds: string[]): Promise<Set<string>> {
    const ids = userIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return new Set();
    const rows: string[] = await this.knex('users')
      .whereIn('id', ids)
      .whereNull('erased_at')
      .whereRaw(`(email_preferences->>'verificationReceipts') IS DISTINCT FROM 'false'`)
      .pluck('id');
    return new Set(rows);
  }

  /** From the event store, which always has the part (the verification was accepted against it); the slug from the read model when it has caught up. */
  private async partOf(partId: string): Promise<{ name: string; slug?: string }> {
    const { state } = await this.streams.load(partStream(partId), partDecider);
    const name = state.status === 'cataloged' ? `${state.part.brand} ${state.part.name}` : 'a part';
    return { name, slug: await this.partSlug(partId) };
  }

  private async partSlug(partId: string): Promise<string | undefined> {
    try {
      const row = await this.knex('parts').where({ id: partId }).first('slug');
      return row?.slug as string | undefined;
    } catch (error) {
      // No catalog view yet (the projector has never run): the mail links by id instead.
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return undefined;
      throw error;
    }
  }

  private async bikeNameOf(bikeId: string): Promise<string> {
    const { state } = await this.streams.load(bikeStream(bikeId), bikeDecider);
    if (state.status !== 'registered') return 'your bike';
    const { year, make, model, trim } = state.bike;
    return [year, make, model, trim].filter((part) => part !== undefined && part !== null && part !== '').join(' ');
  }
}
