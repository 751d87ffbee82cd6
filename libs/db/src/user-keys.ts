import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/** The per-person keys of crypto-shredding (migration 0019); the one place that reads or writes them. */
const USER_KEYS = 'public.user_keys';
const KEY_BYTES = 32;

/** The keys of those of these people who still have one; an erased person is simply absent. */
export async function readUserKeys(db: Knex, userIds: Iterable<string>): Promise<Map<string, Buffer>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.raw<{ rows: { user_id: string; key: Buffer }[] }>(`SELECT user_id, key FROM ${USER_KEYS} WHERE user_id = ANY(?::text[])`, [ids]);
  return new Map(rows.rows.map((row) => [row.user_id, row.key]));
}

/** The person's key, created on first use; concurrent first uses agree on one key. */
export async function userKeyFor(db: Knex, userId: string): Promise<Buffer> {
  const rows = await db.raw<{ rows: { key: Buffer }[] }>(
    `WITH created AS (
       INSERT INTO ${USER_KEYS} (user_id, key) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING RETURNING key
     )
     SELECT key FROM created UNION ALL SELECT key FROM ${USER_KEYS} WHERE user_id = ?`,
    [userId, randomBytes(KEY_BYTES), userId],
  );
  // Empty when a concurrent first use committed after this statement's snapshot: its key is the one.
  const key = rows.rows[0]?.key ?? (await readUserKeys(db, [userId])).get(userId);
  if (!key) throw new Error(`no key for user ${userId} after creating one`);
  return key;
}

/** Shreds the person's text everywhere it is sealed. True when there was a key to delete. */
export async function deleteUserKey(db: Knex, userId: string): Promise<boolean> {
  const result = await db.raw<{ rowCount: number }>(`DELETE FROM ${USER_KEYS} WHERE user_id = ?`, [userId]);
  return result.rowCount > 0;
}
