import { ForbiddenException, Inject, UnauthorizedException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound, buildTotalPrice, buildWarnings, isPartCategory, partCategoryLabel, resolveRegion, type BuildWarning, type PartCategory, type Region } from '@mpp/domain';
import type { Knex } from '@mpp/db';
import { readPartStatusesOnBike, readCurrentOffers, BUILDS, BUILD_PARTS, BIKES, PARTS } from '@mpp/projections';
import { UsersRepository } from '../../auth/users.repository.js';
import { READ_DB } from '../../infrastructure/read-replica/read-replica.module.js';
import { bikeView, partSummaryView, type BikeRow, type PartRow } from '../../queries/read-models/read-model-views.js';
import { bestIn, offerView, offersApart, type StoredOffer } from '../prices/regional-offers.js';

export class BuildByIdQuery {
  constructor(
    readonly buildId: string,
    /** The signed-in viewer, if any: private builds are for their owner only. */
    readonly viewerId: string | undefined,
    readonly now: Date,
    /** The rider's region: the total is in its currency; absent: the default region. */
    readonly region?: string,
  ) {}
}

export class MyBuildsQuery {
  constructor(
    readonly ownerId: string,
    readonly now: Date,
    readonly region?: string,
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

type LineRow = PartRow & { quantity: number; note: string | null };

const KNOWN_TO_FIT = new Set(['verified', 'community']);

function warningMessage(warning: BuildWarning, names: Map<string, string>): string {
  if (warning.code === 'part_not_known_to_fit') return `${names.get(warning.partId) ?? 'A part'} is not known to fit this bike.`;
  return `Two parts in a single-slot category (${partCategoryLabel(warning.category)}): ${warning.partIds.map((id) => names.get(id) ?? id).join(' and ')}.`;
}

/**
 * A build as the build page shows it: lines with their best price and fit status, warnings
 * (part not known to fit; two parts in a single-slot category) and the total, all computed by the
 * domain's rules from read-model rows. The total is one amount in the region's currency: a line
 * offered only in other currencies keeps its best offer per currency (`otherPrices`) and is named
 * in `unpricedPartIds`, never converted or summed.
 */
@QueryHandler(BuildByIdQuery)
export class BuildByIdHandler implements IQueryHandler<BuildByIdQuery> {
  constructor(
    @Inject(READ_DB) private readonly knex: Knex,
    private readonly users: UsersRepository,
  ) {}

  async execute({ buildId, viewerId, now, region }: BuildByIdQuery) {
    const build: BuildRow | undefined = await this.knex(BUILDS).where({ id: buildId, deleted: false }).first();
    if (!build) throw new NotFound('build', buildId);
    if (build.visibility === 'private' && build.owner_id !== viewerId) {
      if (!viewerId) throw new UnauthorizedException('This build is private; sign in as its owner.');
      throw new ForbiddenException('This build is private.');
    }
    return this.view(build, now, resolveRegion(region));
  }

  async view(build: BuildRow, now: Date, region: Region) {
    const [bike, lines, statuses, names] = await Promise.all([
      this.knex(BIKES).where('id', build.bike_id).first<BikeRow | undefined>(),
      this.knex(`${BUILD_PARTS} as bp`)
        .join(`${PARTS} as p`, 'p.id', 'bp.part_id')
        .where('bp.build_id', build.id)
        .orderBy('bp.position')
        .select<LineRow[]>('p.id', 'p.slug', 'p.sku', 'p.brand', 'p.name', 'p.category', 'p.description', 'bp.quantity', 'bp.note'),
      readPartStatusesOnBike(this.knex, build.bike_id, this.knex(BUILD_PARTS).where('build_id', build.id).select('part_id')),
      this.users.displayNames([build.owner_id]),
    ]);
    const offers = await offersOf(this.knex, lines.map((l) => l.id));
    const best = new Map(lines.flatMap((l) => ((found) => (found ? [[l.id, found] as const] : []))(bestIn(offers.get(l.id) ?? [], region.currency))));
    const partNames = new Map(lines.map((l) => [l.id, `${l.brand} ${l.name}`]));
    const warnings = buildWarnings({
      parts: lines.filter((l) => isPartCategory(l.category)).map((l) => ({ partId: l.id, category: l.category as PartCategory })),
      partsKnownToFit: new Set(lines.filter((l) => KNOWN_TO_FIT.has(statuses.get(l.id) ?? 'no_data')).map((l) => l.id)),
    });
    const total = buildTotalPrice(
      lines.map((l) => ({ partId: l.id, quantity: l.quantity })),
      best,
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
        status: statuses.get(l.id) ?? 'no_data',
        bestPrice: ((offer) => (offer ? offerView(offer, now) : null))(best.get(l.id)),
        otherPrices: offersApart(bestPerCurrency(offers.get(l.id) ?? []), region.currency).others.map((offer) => offerView(offer, now)),
      })),
      warnings: warnings.map((w) => ({
        code: w.code,
        message: warningMessage(w, partNames),
        partIds: w.code === 'part_not_known_to_fit' ? [w.partId] : w.partIds,
        ...(w.code === 'single_slot_conflict' ? { category: w.category } : {}),
      })),
      region: region.code,
      // One number in one currency; `totals` keeps its old shape and now always holds just this one.
      totalPriceCents: total.totals[0]?.amountCents ?? 0,
      currency: region.currency,
      totals: [{ currency: region.currency, amountCents: total.totals[0]?.amountCents ?? 0 }],
      /** Lines with no offer in the region's currency: left out of the total, so the UI says it is partial. */
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

  async execute({ ownerId, now, region }: MyBuildsQuery) {
    const rows: BuildRow[] = await this.knex(BUILDS).where({ owner_id: ownerId, deleted: false }).orderBy('updated_at', 'desc').limit(200);
    const views = await Promise.all(rows.map((row) => this.builds.view(row, now, resolveRegion(region))));
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
        region: v.region,
        totals: v.totals,
        unpricedPartCount: v.unpricedPartIds.length,
        warnings: v.warnings.length,
        updatedAt: v.updatedAt,
      })),
    };
  }
}

/** Every current offer of the given parts, by part. */
async function offersOf(knex: Knex, partIds: string[]): Promise<Map<string, StoredOffer[]>> {
  if (partIds.length === 0) return new Map();
  const rows = await readCurrentOffers(knex, partIds);
  const byPart = new Map<string, StoredOffer[]>();
  for (const row of rows) {
    const offer: StoredOffer = {
      retailerId: row.retailer_id,
      retailerName: row.retailer_name,
      priceCents: Number(row.price_cents),
      currency: row.currency,
      inStock: row.in_stock,
      url: row.url,
      observedAt: new Date(row.observed_at).toISOString(),
    };
    byPart.set(row.part_id, [...(byPart.get(row.part_id) ?? []), offer]);
  }
  return byPart;
}

/** The best offer in each currency the part is offered in. */
function bestPerCurrency(offers: readonly StoredOffer[]): StoredOffer[] {
  return [...new Set(offers.map((offer) => offer.currency))].map((currency) => bestIn(offers, currency)!);
}
