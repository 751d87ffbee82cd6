import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

export interface Session {
  userId: string;
  csrfToken: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Server-side sessions: the cookie holds a random token; PostgreSQL holds only its hash. */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async create(userId: string): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await this.knex('sessions').insert({ token_hash: hashToken(token), user_id: userId, csrf_token: csrfToken, expires_at: expiresAt });
    return { token, csrfToken, expiresAt };
  }

  async find(token: string): Promise<Session | undefined> {
    const row = await this.knex('sessions')
      .where({ token_hash: hashToken(token) })
      .andWhere('expires_at', '>', this.knex.fn.now())
      .first('user_id', 'csrf_token');
    return row ? { userId: row.user_id, csrfToken: row.csrf_token } : undefined;
  }

  async delete(token: string): Promise<void> {
    await this.knex('sessions').where({ token_hash: hashToken(token) }).delete();
  }
}
