import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Knex } from '@mpp/db';
import { UsersRepository } from '../../auth/users.repository.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { BIKES, PARTS, VERIFICATION_LOG } from '@mpp/projections';

export class HiddenVerificationsQuery {
  constructor(
    readonly page: number,
    readonly limit: number,
  ) {}
}

/**
 * The moderators' queue of hidden verifications, newest hidden first, so one hidden yesterday can
 * be restored without digging its id out of a part's audit trail. Hidden rows are few (a partial
 * scan of the log is fine); if they ever are not, an index on (moderated_at) WHERE hidden belongs
 * in the verification-log projection's next version.
 */
@QueryHandler(HiddenVerificationsQuery)
export class HiddenVerificationsHandler implements IQueryHandler<HiddenVerificationsQuery> {
  constructor(
    @Inject(READ_DB) private readonly knex: Knex,
    private readonly users: UsersRepository,
  ) {}

  async execute({ page, limit }: HiddenVerificationsQuery) {
    const hidden = this.knex(`${VERIFICATION_LOG} as v`).where('v.hidden', true);
    const [{ total }] = (await hidden.clone().count<{ total: string }[]>('* as total')) as { total: string }[];
    const rows = await hidden
      .clone()
      .join(`${PARTS} as p`, 'p.id', 'v.part_id')
      .join(`${BIKES} as b`, 'b.id', 'v.bike_id')
      .orderBy([{ column: 'v.moderated_at', order: 'desc' }, { column: 'v.position', order: 'desc' }])
      .offset((page - 1) * limit)
      .limit(limit)
      .select(
        'v.verification_id', 'v.user_id', 'v.fits', 'v.submitted_at', 'v.lifecycle',
        'v.moderated_at', 'v.moderated_by', 'v.moderation_reason',
        'p.id as part_id', 'p.slug as part_slug', 'p.brand', 'p.name as part_name', 'p.category',
        'b.id as bike_id', 'b.slug as bike_slug', 'b.year', 'b.make', 'b.model', 'b.trim',
      );
    const people = rows.flatMap((r: { user_id: string; moderated_by: string | null }) => [r.user_id, ...(r.moderated_by ? [r.moderated_by] : [])]);
    const names = await this.users.displayNames([...new Set(people)]);
    return {
      items: rows.map((r: Record<string, never>) => ({
        verificationId: r.verification_id,
        fits: r.fits,
        lifecycle: r.lifecycle,
        submittedAt: new Date(r.submitted_at).toISOString(),
        contributor: { displayName: names.get(r.user_id) ?? 'A rider' },
        hiddenAt: new Date(r.moderated_at).toISOString(),
        hiddenBy: { displayName: names.get(r.moderated_by) ?? 'A moderator' },
        reason: r.moderation_reason,
        part: { id: r.part_id, slug: r.part_slug, brand: r.brand, name: r.part_name, category: r.category },
        bike: { id: r.bike_id, slug: r.bike_slug, year: r.year, make: r.make, model: r.model, trim: r.trim },
      })),
      total: Number(total),
      page,
      limit,
    };
  }
}
