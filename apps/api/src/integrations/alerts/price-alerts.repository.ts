import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from '@mpp/db';
import { KNEX } from '../../infrastructure/tokens.js';
import { PARTS } from '@mpp/projections';

export interface PriceAlertView {
  id: string;
  part: { id: string; slug: string | null; brand: string | null; name: string | null };
  targetPriceCents: number;
  currency: string | null;
  /** False once it fired, until the price is back above the target. */
  armed: boolean;
  timesFired: number;
  lastFiredAt: string | null;
  lastFiredPriceCents: number | null;
  createdAt: string;
}

interface AlertRow {
  id: string;
  part_id: string;
  slug: string | null;
  brand: string | null;
  name: string | null;
  target_price_cents: number;
  currency: string | null;
  armed: boolean;
  times_fired: number;
  last_fired_at: Date | null;
  last_fired_price_cents: string | null;
  created_at: Date;
}

@Injectable()
export class PriceAlertsRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /** One alert per rider and part: setting it again changes the target and arms it again. */
  async upsert(userId: string, input: { partId: string; targetPriceCents: number; currency?: string }): Promise<string> {
    const [row] = await this.knex('price_alerts')
      .insert({ id: randomUUID(), user_id: userId, part_id: input.partId, target_price_cents: input.targetPriceCents, currency: input.currency ?? null })
      .onConflict(['user_id', 'part_id'])
      .merge({ target_price_cents: input.targetPriceCents, currency: input.currency ?? null, armed: true, updated_at: this.knex.fn.now() })
      .returning('id');
    return row.id as string;
  }

  async countFor(userId: string): Promise<number> {
    const [{ count }] = await this.knex('price_alerts').where({ user_id: userId }).count<{ count: string }[]>({ count: '*' });
    return Number(count);
  }

  async hasAlert(userId: string, partId: string): Promise<boolean> {
    return (await this.knex('price_alerts').where({ user_id: userId, part_id: partId }).first('id')) !== undefined;
  }

  async ownerOf(id: string): Promise<string | undefined> {
    const row = await this.knex('price_alerts').where({ id }).first('user_id');
    return row?.user_id as string | undefined;
  }

  async delete(id: string): Promise<void> {
    await this.knex('price_alerts').where({ id }).delete();
  }

  async listFor(userId: string): Promise<PriceAlertView[]> {
    const rows: AlertRow[] = await this.knex('price_alerts as a')
      .leftJoin(`${PARTS} as p`, 'p.id', 'a.part_id')
      .where('a.user_id', userId)
      .orderBy('a.created_at', 'desc')
      .select('a.id', 'a.part_id', 'p.slug', 'p.brand', 'p.name', 'a.target_price_cents', 'a.currency', 'a.armed', 'a.times_fired', 'a.last_fired_at', 'a.last_fired_price_cents', 'a.created_at');
    return rows.map((r) => ({
      id: r.id,
      part: { id: r.part_id, slug: r.slug, brand: r.brand, name: r.name },
      targetPriceCents: r.target_price_cents,
      currency: r.currency,
      armed: r.armed,
      timesFired: r.times_fired,
      lastFiredAt: r.last_fired_at ? new Date(r.last_fired_at).toISOString() : null,
      lastFiredPriceCents: r.last_fired_price_cents === null ? null : Number(r.last_fired_price_cents),
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }
}
