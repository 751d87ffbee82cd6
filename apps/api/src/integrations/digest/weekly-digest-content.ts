import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { countVisibleVerificationsSubmitted, BUILDS, BUILD_PARTS, PARTS, RETAILERS, PART_PRICES, PRICE_HISTORY } from '@mpp/projections';
import { KNEX } from '../../infrastructure/tokens.js';
import type { MailData } from '../mail/mail-kinds.js';

type PriceDrop = MailData['weekly-digest']['priceDrops'][number];

/** Enough for a mail; the rider follows the link for the rest. */
const MAX_PRICE_DROPS = 10;

/**
 * What a rider's digest says about the parts in their builds (not deleted) over a period:
 * new verifications of those parts, and price drops — a retailer's current in-stock price, seen
 * in the period, below that retailer's last daily minimum before the period, in the same currency.
 */
@Injectable()
export class WeeklyDigestContent {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async forUser(userId: string, from: Date, to: Date): Promise<MailData['weekly-digest']> {
    const myParts = this.knex(`${BUILD_PARTS} as bp`)
      .join(`${BUILDS} as b`, 'b.id', 'bp.build_id')
      .where({ 'b.owner_id': userId, 'b.deleted': false })
      .distinct('bp.part_id');

    const newVerifications = await countVisibleVerificationsSubmitted(this.knex, myParts, from, to);

    const { rows } = await this.knex.raw<{ rows: { part_id: string; brand: string; name: string; slug: string; retailer_name: string; price_cents: string; currency: string }[] }>(
      `WITH my_parts AS (
              SELECT DISTINCT bp.part_id FROM ${BUILD_PARTS} bp JOIN ${BUILDS} b ON b.id = bp.build_id
               WHERE b.owner_id = ? AND NOT b.deleted),
            before AS (
              SELECT DISTINCT ON (h.part_id, h.retailer_id) h.part_id, h.retailer_id, h.min_price_cents, h.currency
                FROM ${PRICE_HISTORY} h JOIN my_parts USING (part_id)
               WHERE h.day < (?::timestamptz AT TIME ZONE 'UTC')::date
               ORDER BY h.part_id, h.retailer_id, h.day DESC)
       SELECT DISTINCT ON (pp.part_id) pp.part_id, p.brand, p.name, p.slug, r.name AS retailer_name, pp.price_cents, pp.currency
         FROM ${PART_PRICES} pp
         JOIN before b ON b.part_id = pp.part_id AND b.retailer_id = pp.retailer_id AND b.currency = pp.currency
         JOIN ${PARTS} p ON p.id = pp.part_id
         JOIN ${RETAILERS} r ON r.id = pp.retailer_id
        WHERE pp.in_stock AND pp.observed_at >= ? AND pp.observed_at < ? AND pp.price_cents < b.min_price_cents
        ORDER BY pp.part_id, pp.price_cents
        LIMIT ?`,
      [userId, from, from, to, MAX_PRICE_DROPS],
    );
    const priceDrops: PriceDrop[] = rows.map((r) => ({
      partId: r.part_id,
      partName: `${r.brand} ${r.name}`,
      partSlug: r.slug,
      retailerName: r.retailer_name,
      priceCents: Number(r.price_cents),
      currency: r.currency,
    }));
    return { periodStart: dateOf(from), periodEnd: dateOf(to), newVerifications, priceDrops };
  }
}

const dateOf = (instant: Date) => instant.toISOString().slice(0, 10);
