import { Inject, Injectable } from '@nestjs/common';
import { NotFound } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import type { EventStore } from '@mpp/event-store';
import { waitForPosition } from '@mpp/projection-runner';
import { EVENT_STORE, KNEX } from '../infrastructure/tokens.js';

const CATCH_UP_WAIT_MS = 2000;

/**
 * Finds the part+bike (hence the fitment stream) of a verification id from the audit read model.
 * A verification submitted a moment ago may not be projected yet, so on a miss it waits (bounded)
 * for the projection to reach the head of the log before answering 404.
 */
@Injectable()
export class VerificationLocator {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async locate(verificationId: string): Promise<{ partId: string; bikeId: string }> {
    const found = await this.lookup(verificationId);
    if (found) return found;
    await waitForPosition(this.knex, ['verification-log'], await this.store.headPosition(), CATCH_UP_WAIT_MS);
    const afterWait = await this.lookup(verificationId);
    if (!afterWait) throw new NotFound('verification', verificationId);
    return afterWait;
  }

  private async lookup(verificationId: string): Promise<{ partId: string; bikeId: string } | undefined> {
    const row = await this.knex('verification_log').where({ verification_id: verificationId }).first('part_id', 'bike_id');
    return row ? { partId: row.part_id, bikeId: row.bike_id } : undefined;
  }
}
