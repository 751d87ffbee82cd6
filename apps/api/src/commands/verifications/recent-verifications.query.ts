import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Knex } from '@mpp/db';
import { readRecentVerifications } from '@mpp/projections';
import { UsersRepository } from '../../auth/users.repository.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';

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
    const rows = await readRecentVerifications(this.knex, limit);
    const names = await this.users.displayNames([...new Set(rows.map((r) => r.user_id))]);
    return {
      items: rows.map((r) => ({
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
