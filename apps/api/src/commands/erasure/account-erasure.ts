import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { buildDecider, buildStream, userErasedEventId, userErasureStream, USER_ERASED } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { envelopeOf, eventMetadata, type EventStore } from '@mpp/event-store';
import type { CommandContext } from '../shell/command-context.js';
import { StreamCommands } from '../shell/stream-commands.js';
import { EVENT_STORE, KNEX } from '../../infrastructure/tokens.js';
import { UserKeysRepository } from './user-keys.repository.js';
import { BUILDS } from '@mpp/projections';

/** What `DELETE /api/me` and the admin route leave behind; docs/reliability.md "Erasure" lists it. */
export const ERASED_DISPLAY_NAME = 'Former rider';

/**
 * Erases a person (docs/reliability.md "Erasure"). Order matters, and every step can run again:
 * 1. their builds are deleted through the build decider (BuildDeleted, as the owner would);
 * 2. `UserErased` is appended (one fixed event id per person), so projections drop what they
 *    derived from the person's text while it was readable;
 * 3. in one transaction: the key is deleted (their sealed text becomes unreadable in the log,
 *    exports and any rebuild), the account row is anonymised, and sessions, idempotency records,
 *    price alerts, mails queued for them and the build-share mails they sent are deleted.
 * A failure after 2 leaves the person signed in, so the same request finishes the job.
 */
@Injectable()
export class AccountErasure {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly streams: StreamCommands,
    private readonly keys: UserKeysRepository,
  ) {}

  async erase(userId: string, context: CommandContext): Promise<{ position: bigint }> {
    const account = await this.knex('users').where({ id: userId }).first('id');
    if (!account) throw new NotFoundException(`no account ${userId}`);
    await this.deleteBuildsOf(userId, context);
    const { position } = await this.store.appendToStream(
      userErasureStream(userId),
      [
        {
          eventId: userErasedEventId(userId),
          type: USER_ERASED,
          data: { userId },
          metadata: eventMetadata(envelopeOf(context)),
        },
      ],
      { expectedRevision: 'any' },
    );
    await this.knex.transaction(async (trx) => {
      await this.keys.delete(userId, trx);
      await trx('sessions').where({ user_id: userId }).delete();
      await trx('idempotency_keys').where({ user_id: userId }).delete();
      await trx('price_alerts').where({ user_id: userId }).delete();
      await trx('email_outbox').where({ to_user_id: userId }).delete();
      // Their share mails hold a build name and the recipient's address until sent.
      await trx('email_outbox').where({ kind: 'build-shared' }).andWhereRaw(`data->>'sharedByUserId' = ?`, [userId]).delete();
      await trx('users')
        .where({ id: userId })
        .update({
          // Unique and not an address: the row stays so ids in the log resolve to "a former rider".
          email_encrypted: '',
          email_hash: `erased:${userId}`,
          display_name: ERASED_DISPLAY_NAME,
          google_subject: null,
          stripe_customer_id: null,
          role: 'user',
          plan: 'free',
          email_preferences: JSON.stringify({ weeklyDigest: false }),
          erased_at: context.now,
        });
    });
    return { position };
  }

  /** From the read model; a build it has not seen yet is removed by the builds projection on UserErased. */
  private async deleteBuildsOf(userId: string, context: CommandContext): Promise<void> {
    const builds: { id: string }[] = await this.knex(BUILDS).where({ owner_id: userId, deleted: false }).select('id');
    for (const { id } of builds) {
      await this.streams.execute({
        stream: buildStream(id),
        decider: buildDecider,
        command: () => ({ type: 'DeleteBuild' as const, buildId: id, actorId: userId }),
        context,
      });
    }
  }
}
