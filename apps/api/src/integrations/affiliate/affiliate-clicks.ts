import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@mpp/config';
import type { Knex } from '@mpp/db';
import { APP_CONFIG, KNEX } from '../../infrastructure/tokens.js';
import { ensureMonthlyPartition } from './affiliate-partitions.js';

export type ClickSource = 'api' | 'redirect';

// Only when SESSION_SECRET is absent, which configuration forbids in production.
const DEVELOPMENT_SECRET = 'motopartpicker-development-secret-not-for-production';

/**
 * Records outbound purchase clicks for affiliate attribution. No IP address and no user agent are
 * stored: at most a keyed hash of the IP salted with the day, which counts distinct visitors per day
 * but cannot follow one across days, nor be reversed without the server's secret.
 */
@Injectable()
export class AffiliateClicks {
  private readonly visitorKey: Buffer;

  constructor(
    @Inject(KNEX) private readonly knex: Knex,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.visitorKey = Buffer.from(hkdfSync('sha256', config.SESSION_SECRET ?? DEVELOPMENT_SECRET, 'motopartpicker', 'affiliate-visitor', 32));
  }

  async record(partId: string, retailerId: string, source: ClickSource, options: { ip?: string; at?: Date } = {}): Promise<void> {
    const clickedAt = options.at ?? new Date();
    const row = {
      part_id: partId,
      retailer_id: retailerId,
      source,
      visitor_hash: options.ip ? this.visitorHash(options.ip, clickedAt) : null,
      clicked_at: clickedAt,
    };
    try {
      await this.knex('affiliate_clicks').insert(row);
    } catch (error) {
      // The maintenance job creates months ahead; if it has not run, make the month now rather than lose the click.
      if (!isMissingPartition(error)) throw error;
      await ensureMonthlyPartition(this.knex, clickedAt);
      await this.knex('affiliate_clicks').insert(row);
    }
  }

  private visitorHash(ip: string, at: Date): string {
    return createHmac('sha256', this.visitorKey).update(`${at.toISOString().slice(0, 10)}|${ip}`).digest('hex').slice(0, 32);
  }
}

function isMissingPartition(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === '23514' && /no partition of relation/i.test(e.message ?? '');
}
