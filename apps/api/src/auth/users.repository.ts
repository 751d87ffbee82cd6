import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';
import { EmailCipher } from './email-cipher.js';

export type Role = 'user' | 'moderator' | 'admin';
export const ROLES: readonly Role[] = ['user', 'moderator', 'admin'];

export interface User {
  id: string;
  displayName: string;
  role: Role;
  plan: 'free' | 'pro';
  emailPreferences: { weeklyDigest: boolean };
}

export interface UserRow {
  id: string;
  display_name: string;
  role: Role;
  plan: 'free' | 'pro';
  email_preferences: { weeklyDigest: boolean };
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  displayName: row.display_name,
  role: row.role,
  plan: row.plan,
  emailPreferences: row.email_preferences,
});

@Injectable()
export class UsersRepository {
  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly cipher: EmailCipher,
  ) {}

  /** Signs a person in by email: the account is created on first sight, updated (name, role) after. */
  async upsertByEmail(input: { email: string; displayName: string; role?: Role }): Promise<User> {
    const [row] = await this.knex('users')
      .insert(this.newUserRow(input.email, input.displayName, input.role ?? 'user'))
      .onConflict('email_hash')
      .merge({
        display_name: input.displayName,
        ...(input.role ? { role: input.role } : {}),
      })
      .returning(['id', 'display_name', 'role', 'plan', 'email_preferences']);
    return toUser(row);
  }

  /**
   * The account with this Google subject, or a new one. An existing account with the same address
   * but no (or another) Google subject is not taken over: whoever controls a Google account with
   * someone's address must not become them.
   */
  async signInWithGoogle(input: { email: string; displayName: string; googleSubject: string }): Promise<User> {
    const existing: UserRow | undefined = await this.knex('users').where({ google_subject: input.googleSubject }).whereNull('erased_at').first();
    if (existing) return toUser(existing);
    const [row] = await this.knex('users')
      .insert({ ...this.newUserRow(input.email, input.displayName, 'user'), google_subject: input.googleSubject })
      .onConflict('email_hash')
      .ignore()
      .returning(['id', 'display_name', 'role', 'plan', 'email_preferences']);
    if (!row) throw new ConflictException('An account with this email address already exists; sign in the way you did before.');
    return toUser(row);
  }

  private newUserRow(email: string, displayName: string, role: Role) {
    return { id: randomUUID(), email_encrypted: this.cipher.encrypt(email), email_hash: this.cipher.lookupHash(email), display_name: displayName, role };
  }

  async emailOf(id: string): Promise<string | undefined> {
    const row = await this.knex('users').where({ id }).whereNull('erased_at').first('email_encrypted');
    return row ? this.cipher.decrypt(row.email_encrypted) : undefined;
  }

  /** Riders' names, read on `on`: the primary unless the caller's other reads go elsewhere (READ_DB). */
  async displayNames(ids: string[], on: Knex = this.knex): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    return this.namesWhereIdIn(ids, on);
  }

  /** The names of the riders a subquery chooses, in one statement on `on` (no ids to wait for). */
  async displayNamesOf(chosen: (knex: Knex) => Knex.QueryBuilder, on: Knex = this.knex): Promise<Map<string, string>> {
    return this.namesWhereIdIn(chosen(on), on);
  }

  private async namesWhereIdIn(ids: string[] | Knex.QueryBuilder, on: Knex): Promise<Map<string, string>> {
    const rows = await on('users').whereIn('id', ids).select('id', 'display_name', 'erased_at');
    return new Map(rows.map((r: { id: string; display_name: string; erased_at: Date | null }) => [r.id, r.erased_at ? 'Former rider' : r.display_name]));
  }
}
