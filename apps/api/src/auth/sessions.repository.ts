import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';
import { toUser, type User, type UserRow } from './users.repository.js';

/** A session ends 30 days after sign-in at the latest (the cookie's lifetime)... */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** ...and after 7 days without a request: `expires_at` slides forward as the session is used. */
export const SESSION_IDLE_MS = 7 * 24 * 3600 * 1000;
/** Sliding the expiry is a write; once a minute per session is plenty. */
const SLIDE_AT_MOST_EVERY_MS = 60_000;

/** What the sessions table holds of a token. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Server-side sessions: the cookie holds a random token; PostgreSQL holds only its hash. */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /**
   * A sign-in: always a new session id, and the session the browser presented with the sign-in (its
   * cookie, whoever it belonged to) ends in the same transaction, so an id planted in a victim's
   * browser before they sign in (session fixation) is worth nothing afterwards.
   */
  async signIn(userId: string, presentedToken: unknown): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = Date.now();
    await this.knex.transaction(async (trx) => {
      if (typeof presentedToken === 'string' && presentedToken.length > 0) await trx('sessions').where({ token_hash: hashToken(presentedToken) }).delete();
      await trx('sessions').insert({ token_hash: hashToken(token), user_id: userId, csrf_token: csrfToken, expires_at: new Date(now + SESSION_IDLE_MS) });
    });
    // The cookie lives as long as the session can at most; the idle limit is the server's to enforce.
    return { token, csrfToken, expiresAt: new Date(now + SESSION_TTL_MS) };
  }

  /**
   * The live session for a cookie's token and its (not erased) user, in one round trip: every
   * signed-in request, each submission among them, asks this first. Using the session pushes its
   * idle expiry forward, in the same statement: at most once a minute per session (the UPDATE
   * matches no row otherwise, and a statement that writes nothing commits without a WAL flush).
   * The slide's commit waits for no WAL flush either (`synchronous_commit` off for this
   * statement's transaction alone, set only when it slides): a database crash can at worst lose a
   * minute's slide, so the session ends a minute earlier, six days away at the earliest. A revoked,
   * expired or erased session is refused by this same statement, every time; nothing is cached.
   */
  async findSignedIn(token: string): Promise<{ user: User; csrfToken: string } | undefined> {
    const { rows } = await this.knex.raw<{ rows: (UserRow & { csrf_token: string })[] }>(
      `WITH live AS (
         SELECT u.id, u.display_name, u.role, u.plan, u.email_preferences, s.csrf_token
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = :tokenHash AND s.expires_at > now() AND u.erased_at IS NULL
       ), slid AS (
         UPDATE sessions SET expires_at = LEAST(now() + make_interval(secs => :idle), created_at + make_interval(secs => :ttl))
          WHERE token_hash = :tokenHash AND EXISTS (SELECT 1 FROM live)
            AND expires_at < LEAST(now() + make_interval(secs => :idle), created_at + make_interval(secs => :ttl)) - make_interval(secs => :slideEvery)
         RETURNING set_config('synchronous_commit', 'off', true)
       )
       SELECT * FROM live`,
      { tokenHash: hashToken(token), idle: SESSION_IDLE_MS / 1000, ttl: SESSION_TTL_MS / 1000, slideEvery: SLIDE_AT_MOST_EVERY_MS / 1000 },
    );
    const row = rows[0];
    return row ? { user: toUser(row), csrfToken: row.csrf_token } : undefined;
  }

  /** Signs the user out on every device. */
  async deleteAllOf(userId: string): Promise<number> {
    return this.knex('sessions').where({ user_id: userId }).delete();
  }

  async delete(token: string): Promise<void> {
    await this.knex('sessions').where({ token_hash: hashToken(token) }).delete();
  }
}
