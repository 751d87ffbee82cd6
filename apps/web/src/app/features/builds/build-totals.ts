import { Build, MoneyTotal } from '../../core/api/api-types';

export interface BuildTotals {
  /** The build's total: one amount in the rider's currency, as the API summed it. */
  headline: MoneyTotal | null;
  /** How many lines have no offer in that currency and so are not in the total. */
  leftOut: number;
}

export function buildTotals(build: Pick<Build, 'totalPriceCents' | 'currency' | 'unpricedPartIds'>): BuildTotals {
  return {
    headline: build.currency ? { amountCents: build.totalPriceCents, currency: build.currency } : null,
    leftOut: build.unpricedPartIds?.length ?? 0,
  };
}
