import { ForbiddenException, Inject, UnauthorizedException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound, buildTotalPrice, buildWarnings, isPartCategory, partCategoryLabel, type BuildWarning, type PartCategory } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { UsersRepository } from '../auth/users.repository.js';
import { READ_DB } from '../infrastructure/read-replica/read-replica.module.js';
import { bikeView, partSummaryView, retailerPriceView, type BikeRow, type PartRow, type PriceRow } from '../read-models/read-model-views.js';

export class BuildByIdQuery {
  constructor(
    readonly buildId: string,
    /** The signed-in viewer, if any: private builds are for their owner only. */
    readonly viewerId: string | undefined,
    readonly now: Date,
  ) {}
}

export class MyBuildsQuery {
  constructor(
    readonly ownerId: string,
    readonly now: Date,
  ) {}
}

interface BuildRow {
  id: string;
  owner_id: string;
  name: string;
  bike_id: string;
  visibility: 'private' | 'unlisted' | 'public';
  revision: number;
  created_at: Date;
  updated_at: Date;
}

type LineRow = PartRow & Partial<PriceRow> & { quantity: number; note: string | null; status: string | null };

const KNOWN_TO_FIT = new Set(['verified', 'community']);

function warningMessage(warning: BuildWarning, names: Map<string, string>): string {
  if (warning.code === 'part_not_known_to_fit') return `${names.get(warning.partId) ?? 'A part'} is not known to fit this bike.`;
  return `Two parts in a single-slot category (${partCategoryLabel(warning.category)}): ${warning.partIds.map((id) => names.get(id) ?? id).join(' and ')}.`;
}

/**
 * A build as the build page shows it: lines with their best price and fit status, warnings
 * (part not known to fit; two parts in a single-slot category) and the total, all computed by the
 * domain's rules from read-model rows.
 */
@QueryHandler(BuildByIdQuery)
export class BuildByIdHandler implements IQueryHandler<BuildByIdQuery> {
  constructor(
    @Inject(READ_DB) private readonly knex: Knex,
    private readonly users: UsersRepository,
  ) {}

  async execute({ buildId, viewerId, now }: BuildByIdQuery) {
    const build: BuildRow | undefined = await this.knex('builds').where({ id: buildId, deleted: false }).first();
    if (!build) throw new NotFound('build', buildId);
    if (build.visibility === 'private' && build.owner_id !== viewerId) {
      if (!viewerId) throw new UnauthorizedException('This build is private; sign in as its owner.');
      throw new ForbiddenException('This build is private.');
    }
    return this.view(build, now);
  }

  async view(build: BuildRow, now: Date) {
    const [bike, lines, names] = await Promise.all([
      this.knex('bikes').where('id', build.bike_id).first<BikeRow | undefined>(),
      this.knex('build_parts as bp')
        .join('parts as p', 'p.id', 'bp.part_id')
        .leftJoin('part_best_prices as best', 'best.part_id', 'bp.part_id')
        .leftJoin('part_prices as pp', function () {
          this.on('pp.part_id', 'best.part_id').andOn('pp.retailer_id', 'best.retailer_id');
        })
        .leftJoin('retailers as r', 'r.id', 'best.retailer_id')
        .leftJoin('compatibility_records as cr', function () {
          this.on('cr.part_id', 'bp.part_id').andOnVal('cr.bike_id', '=', build.bike_id);
        })
        .where('bp.build_id', build.id)
        .orderBy('bp.position')
        .select<LineRow[]>(
          'p.id', 'p.slug', 'p.sku', 'p.brand', 'p.name', 'p.category', 'p.description', 'bp.quantity', 'bp.note', 'cr.status',
          'best.retailer_id', 'r.name as retailer_name', 'best.price_cents', 'best.currency', 'best.in_stock', 'pp.url', 'best.observed_at',
        ),
      this.users.displayNames([build.owner_id]),
    ]);
    const partNames = new Map(lines.map((l) => [l.id, `${l.brand} ${l.name}`]));
    const warnings = buildWarnings({
      parts: lines.filter((l) => isPartCategory(l.category)).map((l) => ({ partId: l.id, category: l.category as PartCategory })),
      partsKnownToFit: new Set(lines.filter((l) => l.status && KNOWN_TO_FIT.has(l.status)).map((l) => l.id)),
    });
    const total = buildTotalPrice(
      lines.map((l) => ({ partId: l.id, quantity: l.quantity })),
      new Map(lines.filter((l) => l.price_cents != null).map((l) => [l.id, { priceCents: l.price_cents!, currency: l.currency! }])),
    );
    return {
      id: build.id,
      name: build.name,
      ownerId: build.owner_id,
      owner: { displayName: names.get(build.owner_id) ?? 'A rider' },
      bike: bike ? bikeView(bike) : null,
      visibility: build.visibility,
      revision: build.revision,
      createdAt: new Date(build.created_at).toISOString(),
      updatedAt: new Date(build.updated_at).toISOString(),
      parts: lines.map((l) => ({
        part: partSummaryView(l),
        quantity: l.quantity,
        note: l.note,
        status: l.status ?? 'no_data',
        bestPrice: l.price_cents == null ? null : retailerPriceView(l as PriceRow, now),
      })),
      warnings: warnings.map((w) => ({
        code: w.code,
        message: warningMessage(w, partNames),
        partIds: w.code === 'part_not_known_to_fit' ? [w.partId] : w.partIds,
        ...(w.code === 'single_slot_conflict' ? { category: w.category } : {}),
      })),
      // One currency is the norm; totals lists each currency when a build mixes them.
      totalPriceCents: total.totals[0]?.amountCents ?? 0,
      currency: total.totals[0]?.currency ?? null,
      totals: total.totals,
      unpricedPartIds: total.unpricedPartIds,
    };
  }
}

@QueryHandler(MyBuildsQuery)
export class MyBuildsHandler implements IQueryHandler<MyBuildsQuery> {
  constructor(
    @Inject(READ_DB) private readonly knex: Knex,
    private readonly builds: BuildByIdHandler,
  ) {}

  async execute({ ownerId, now }: MyBuildsQuery) {
    const rows: BuildRow[] = await this.knex('builds').where({ owner_id: ownerId, deleted: false }).orderBy('updated_at', 'desc').limit(200);
    const views = await Promise.all(rows.map((row) => this.builds.view(row, now)));
    return {
      items: views.map((v) => ({
        id: v.id,
        name: v.name,
        bike: v.bike,
        visibility: v.visibility,
        revision: v.revision,
        partCount: v.parts.length,
        totalPriceCents: v.totalPriceCents,
        currency: v.currency,
        // Every currency's total: a list showing only the first would hide part of the build's cost.
        totals: v.totals,
        warnings: v.warnings.length,
        updatedAt: v.updatedAt,
      })),
    };
  }
}
