import { PriceHistoryPoint, RetailerRef } from '../../core/api/api-types';

export interface CurrencyHistory {
  currency: string;
  retailers: RetailerRef[];
  /** Lowest, highest and mean daily price in this currency over the chosen range (cents). */
  min: number;
  max: number;
  average: number;
}

/** Only the days on or after `today - days`; `days` null keeps everything. */
export function pointsWithin(points: readonly PriceHistoryPoint[], days: number | null, today = new Date()): PriceHistoryPoint[] {
  if (days === null) return [...points];
  const from = new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  return points.filter((point) => point.day >= from);
}

/**
 * History split by currency, the rider's first: each currency gets its own axis (its own chart),
 * and min/max/average are computed within one currency only.
 */
export function historyByCurrency(
  points: readonly PriceHistoryPoint[],
  retailers: readonly RetailerRef[],
  riderCurrency: string,
): CurrencyHistory[] {
  const names = new Map(retailers.map((retailer) => [retailer.id, retailer.name]));
  const byCurrency = new Map<string, PriceHistoryPoint[]>();
  for (const point of points) byCurrency.set(point.currency, [...(byCurrency.get(point.currency) ?? []), point]);
  return [...byCurrency]
    .sort(([a], [b]) => Number(b === riderCurrency) - Number(a === riderCurrency) || a.localeCompare(b))
    .map(([currency, rows]) => {
      const cents = rows.map((row) => row.priceCents);
      return {
        currency,
        retailers: [...new Set(rows.map((row) => row.retailerId))].map((id) => ({ id, name: names.get(id) ?? id })),
        min: Math.min(...cents),
        max: Math.max(...cents),
        average: Math.round(cents.reduce((sum, value) => sum + value, 0) / cents.length),
      };
    });
}
