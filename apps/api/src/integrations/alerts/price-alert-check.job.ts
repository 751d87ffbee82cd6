import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { ScheduledJob, type JobContext, type JobHandler } from '../../operations/jobs/scheduled-job.js';
import { OutboxWriter } from '../mail/outbox-writer.js';
import { PARTS, RETAILERS, PART_PRICES } from '@mpp/projections';

export const PRICE_ALERTS_JOB = 'price-alerts';
/** Alerts fired per transaction; the next tick takes the rest. */
const BATCH = 200;

interface DueAlert {
  id: string;
  user_id: string;
  part_id: string;
  target_price_cents: number;
  times_fired: number;
  price_cents: string;
  currency: string;
  retailer_name: string;
  brand: string;
  name: string;
  slug: string;
}

/**
 * The cheapest fresh (< 24 h, DESIGN §4), in-stock offer of the alert's part, in its currency when
 * it names one. Stale offers do not count: a price nobody has seen for a day is not a price to buy at.
 */
const BEST_OFFER = `
  SELECT pp.price_cents, pp.currency, pp.retailer_id FROM ${PART_PRICES} pp
   WHERE pp.part_id = a.part_id AND pp.in_stock AND pp.observed_at > ?::timestamptz - interval '24 hours'
     AND (a.currency IS NULL OR pp.currency = a.currency)
   ORDER BY pp.price_cents, pp.retailer_id LIMIT 1`;

/**
 * Every five minutes (feeds are hourly, projections near real time): an armed alert whose part's
 * best offer is at or below the target fires once — the mail is enqueued and the alert disarmed in
 * one transaction, with a dedupe key per firing. A fired alert re-arms when the best offer is back
 * above the target, so the next drop fires again; a rider who sets the alert again re-arms it too.
 * Alerts of riders no longer on Pro stay, silent, until they subscribe again.
 */
@ScheduledJob({ name: PRICE_ALERTS_JOB, cron: '0 */5 * * * *', description: 'mails price-drop alerts whose target the best price reached' })
@Injectable()
export class PriceAlertCheckJob implements JobHandler {
  private readonly logger = new Logger('PriceAlerts');

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    private readonly outbox: OutboxWriter,
  ) {}

  async run({ startedAt }: JobContext): Promise<string> {
    const rearmed = await this.rearm(startedAt);
    let fired = 0;
    for (;;) {
      const batch = await this.fireBatch(startedAt);
      fired += batch;
      if (batch < BATCH) break;
    }
    if (fired > 0) this.logger.log({ fired, rearmed }, 'price alerts fired');
    return `${fired} alerts fired, ${rearmed} re-armed`;
  }

  private async fireBatch(now: Date): Promise<number> {
    return this.knex.transaction(async (trx) => {
      const { rows } = await trx.raw<{ rows: DueAlert[] }>(
        `SELECT a.id, a.user_id, a.part_id, a.target_price_cents, a.times_fired, o.price_cents, o.currency, r.name AS retailer_name, p.brand, p.name, p.slug
           FROM price_alerts a
           JOIN users u ON u.id = a.user_id AND u.plan = 'pro' AND u.erased_at IS NULL
           JOIN LATERAL (${BEST_OFFER}) o ON o.price_cents <= a.target_price_cents
           JOIN ${PARTS} p ON p.id = a.part_id
           JOIN ${RETAILERS} r ON r.id = o.retailer_id
          WHERE a.armed
          ORDER BY a.id
          LIMIT ?
          FOR UPDATE OF a SKIP LOCKED`,
        [now, BATCH],
      );
      for (const alert of rows) {
        const firing = alert.times_fired + 1;
        await this.outbox.enqueue(trx, {
          kind: 'price-drop-alert',
          to: { userId: alert.user_id },
          data: {
            partId: alert.part_id,
            partName: `${alert.brand} ${alert.name}`,
            partSlug: alert.slug,
            retailerName: alert.retailer_name,
            priceCents: Number(alert.price_cents),
            currency: alert.currency,
            targetPriceCents: alert.target_price_cents,
          },
          dedupeKey: `price-drop-alert:${alert.id}:${firing}`,
        });
        await trx('price_alerts')
          .where({ id: alert.id })
          .update({ armed: false, times_fired: firing, last_fired_at: now, last_fired_price_cents: Number(alert.price_cents), updated_at: trx.fn.now() });
      }
      return rows.length;
    });
  }

  /** Fired alerts whose part has a fresh offer again, none of them at or below the target. */
  private async rearm(now: Date): Promise<number> {
    const result = await this.knex.raw<{ rowCount: number }>(
      `UPDATE price_alerts a SET armed = true, updated_at = now()
        WHERE NOT a.armed
          AND EXISTS (SELECT 1 FROM (${BEST_OFFER}) o WHERE o.price_cents > a.target_price_cents)`,
      [now],
    );
    return result.rowCount;
  }
}
