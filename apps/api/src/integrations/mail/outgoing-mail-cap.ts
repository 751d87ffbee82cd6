import { HttpException, HttpStatus } from '@nestjs/common';
import type { Knex } from '@mpp/db';

/** Share mails one rider may send to addresses we do not know, per rolling 24 hours. */
export const SHARE_MAILS_PER_DAY = 20;

/**
 * "Share build" mails attacker-chosen addresses; the strict rate limit slows a burst but still lets
 * a rider send a thousand a day. The outbox itself is the counter (same transaction as the enqueue),
 * so the cap holds across API processes. 429 problem+json with Retry-After when it is reached.
 */
export async function refuseShareMailOverCap(trx: Knex.Transaction, userId: string): Promise<void> {
  const [row] = await trx('email_outbox')
    .where({ kind: 'build-shared' })
    .andWhereRaw(`data->>'sharedByUserId' = ?`, [userId])
    .andWhere('created_at', '>', trx.raw(`now() - interval '24 hours'`))
    .count<{ n: string }[]>({ n: '*' });
  if (Number(row?.n ?? 0) >= SHARE_MAILS_PER_DAY) {
    throw new HttpException(`You have shared ${SHARE_MAILS_PER_DAY} builds by mail in the last 24 hours; try again tomorrow.`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
