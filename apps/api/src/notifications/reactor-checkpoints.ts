import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';

/**
 * Where each reactor (a consumer of the event log with side effects) has got to. A reactor moves
 * its checkpoint in the same transaction as the effects of the events it passed, so a crash
 * repeats nothing that committed and loses nothing that did not.
 */
@Injectable()
export class ReactorCheckpoints {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /** Creates the checkpoint at `position` unless it exists; returns the stored one. */
  async ensure(reactor: string, position: bigint): Promise<bigint> {
    await this.knex('reactor_checkpoints').insert({ reactor, position: position.toString() }).onConflict('reactor').ignore();
    return (await this.read(reactor))!;
  }

  async read(reactor: string, trx: Knex | Knex.Transaction = this.knex): Promise<bigint | undefined> {
    const row = await trx('reactor_checkpoints').where({ reactor }).first('position');
    return row ? BigInt(row.position) : undefined;
  }

  /**
   * Moves the checkpoint from `expected` to `next` inside `trx`, holding the row until commit.
   * False when another consumer moved it first: the caller must roll back its effects.
   */
  async advance(trx: Knex.Transaction, reactor: string, expected: bigint, next: bigint): Promise<boolean> {
    const updated = await trx('reactor_checkpoints')
      .where({ reactor, position: expected.toString() })
      .update({ position: next.toString(), updated_at: trx.fn.now() });
    return updated === 1;
  }
}
