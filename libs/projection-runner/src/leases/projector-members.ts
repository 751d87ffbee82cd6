import type { Knex } from 'knex';

/** Long enough that an operator can still see which process died a while ago, short enough that the table stays tiny. */
const FORGET_AFTER = '1 hour';

/** Keeps this process counted among the live projector processes for `ttlMs` more. */
export async function heartbeatMember(knex: Knex, member: string, ttlMs: number): Promise<void> {
  await knex.raw(
    `INSERT INTO projector_members (member, expires_at) VALUES (?, now() + ? * interval '1 millisecond')
     ON CONFLICT (member) DO UPDATE SET heartbeat_at = now(), expires_at = excluded.expires_at`,
    [member, ttlMs],
  );
}

/** Processes whose heartbeat is fresh: the divisor of each one's fair share of projections. */
export async function liveMemberCount(knex: Knex): Promise<number> {
  const { rows } = await knex.raw<{ rows: { live: number }[] }>('SELECT count(*)::int AS live FROM projector_members WHERE expires_at > now()');
  return rows[0]!.live;
}

/** A clean shutdown: the others need not wait for the row to expire to count one process fewer. */
export async function leaveMembers(knex: Knex, member: string): Promise<void> {
  await knex('projector_members').where({ member }).delete();
}

export async function forgetDeadMembers(knex: Knex): Promise<void> {
  await knex.raw(`DELETE FROM projector_members WHERE expires_at < now() - interval '${FORGET_AFTER}'`);
}
