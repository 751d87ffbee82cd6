import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Knex } from '@mpp/db';
import { UsersRepository } from '../auth/users.repository.js';
import { READ_DB } from '../infrastructure/read-replica/read-replica.module.js';

export class RecentVerificationsQuery {
  constructor(readonly limit: number) {}
}

/** The newest community verifications across the catalog (the home page's "recently verified"). */
@QueryHandler(RecentVerificationsQuery)
export class RecentVerificationsHandler implements IQueryHandler<RecentVerificationsQuery> {
  constructor(
    @Inject(READ_DB) private readonly knex: Knex,
    private readonly users: UsersRepository,
  ) {}

  async execute({ limit }: RecentVerificationsQuery) {
    const rows = await this.knex('verification_log as v')
      .join('parts as p', 'p.id', 'v.part_id')
      .join('bikes as b', 'b.id', 'v.bike_id')
      .where('v.lifecycle', 'active')
      .andWhere('v.hidden', false)
      .orderBy('v.position', 'desc')
      .limit(limit)
      .select(
        'v.verification_id', 'v.user_id', 'v.fits', 'v.submitted_at',
        'p.id as part_id', 'p.slug as part_slug', 'p.brand', 'p.name as part_name', 'p.category',
        'b.id as bike_id', 'b.slug as bike_slug', 'b.year', 'b.make', 'b.model', 'b.trim',
      );
    const names = await this.users.displayNames([...new Set(rows.map((r: { user_id: string }) => r.user_id))]);
    return {
      items: rows.map((r: Record<string, never>) => ({
        verificationId: r.verification_id,
        fits: r.fits,
        submittedAt: new Date(r.submitted_at).toISOString(),
        contributor: { displayName: names.get(r.user_id) ?? 'A rider' },
        part: { id: r.part_id, slug: r.part_slug, brand: r.brand, name: r.part_name, category: r.category },
        bike: { id: r.bike_id, slug: r.bike_slug, year: r.year, make: r.make, model: r.model, trim: r.trim },
      })),
    };
  }
}
