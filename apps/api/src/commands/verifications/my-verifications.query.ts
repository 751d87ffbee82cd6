import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Knex } from '@mpp/db';
import { readRiderVerificationsOfPart } from '@mpp/projections';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';

export class MyVerificationsQuery {
  constructor(
    readonly userId: string,
    readonly partId: string,
  ) {}
}

export interface MyVerification {
  verificationId: string;
  bikeId: string;
  /** active | superseded | retracted: only an active one can be retracted. */
  lifecycle: string;
}

/**
 * The signed-in rider's own verifications of one part: the public audit trail names contributors
 * by display name only, so this is how the page knows which rows the rider may retract.
 */
@QueryHandler(MyVerificationsQuery)
export class MyVerificationsHandler implements IQueryHandler<MyVerificationsQuery> {
  constructor(@Inject(READ_DB) private readonly knex: Knex) {}

  async execute({ userId, partId }: MyVerificationsQuery): Promise<{ items: MyVerification[] }> {
    const rows = await readRiderVerificationsOfPart(this.knex, userId, partId);
    return { items: rows.map((row) => ({ verificationId: row.verification_id, bikeId: row.bike_id, lifecycle: row.lifecycle })) };
  }
}
