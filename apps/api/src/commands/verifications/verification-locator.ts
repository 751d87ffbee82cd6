import { Inject, Injectable } from '@nestjs/common';
import { NotFound } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import type { EventStore } from '@mpp/event-store';
import { waitForPosition } from '@mpp/projection-runner';
import { readVerificationPair } from '@mpp/projections';
import { EVENT_STORE, KNEX } from '../../infrastructure/tokens.js';

const CATCH_UP_WAIT_MS = 2000;
const POLL_MS = 50;

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
    // The log's visible head can trail a just-committed append (it waits for older writers), so
    // one wait for "the head" may end before the verification is even visible: look again until
    // the bounded wait is over.
    const deadline = Date.now() + CATCH_UP_WAIT_MS;
    for (;;) {
      const found = await readVerificationPair(this.knex, verificationId);
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new NotFound('verification', verificationId);
      await waitForPosition(this.knex, ['verification-log'], await this.store.headPosition(), remaining);
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(remaining, 0))));
    }
  }
}
