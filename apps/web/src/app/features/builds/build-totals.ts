import { Build, MoneyTotal } from '../../core/api/api-types';

export interface BuildTotals {
  /** The total in the rider's currency when the build has one, else in its first currency. */
  headline: MoneyTotal | null;
  /** Totals in other currencies: shown apart, never added to the headline. */
  others: MoneyTotal[];
}

export function buildTotals(build: Pick<Build, 'totals' | 'totalPriceCents' | 'currency'>, riderCurrency: string): BuildTotals {
  const totals = build.totals ?? (build.currency ? [{ amountCents: build.totalPriceCents, currency: build.currency }] : []);
  const headline = totals.find((total) => total.currency === riderCurrency) ?? totals[0] ?? null;
  return { headline, others: totals.filter((total) => total !== headline) };
}
