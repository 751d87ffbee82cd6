import { Inject, Injectable } from '@nestjs/common';
import { deleteUserKey, readUserKeys, userKeyFor, type Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';

/** The per-person keys riders' free text is sealed under (docs/domain.md "Sealed free text"). */
@Injectable()
export class UserKeysRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  read(userIds: Iterable<string>): Promise<Map<string, Buffer>> {
    return readUserKeys(this.knex, userIds);
  }

  keyFor(userId: string): Promise<Buffer> {
    return userKeyFor(this.knex, userId);
  }

  delete(userId: string, db: Knex = this.knex): Promise<boolean> {
    return deleteUserKey(db, userId);
  }
}
