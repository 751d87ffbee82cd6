export interface BestPrice {
  priceCents: number;
  currency: string;
}

export interface BuildTotalPrice {
  /** One total per currency, sorted by currency; amounts are never converted between currencies. */
  totals: { currency: string; amountCents: number }[];
  /** Parts with no known price, left out of the totals so the UI can say the total is partial. */
  unpricedPartIds: string[];
}

export function buildTotalPrice(
  parts: readonly { partId: string; quantity: number }[],
  bestPrices: ReadonlyMap<string, BestPrice>,
): BuildTotalPrice {
  const totals = new Map<string, number>();
  const unpricedPartIds: string[] = [];
  for (const { partId, quantity } of parts) {
    const best = bestPrices.get(partId);
    if (!best) {
      unpricedPartIds.push(partId);
      continue;
    }
    totals.set(best.currency, (totals.get(best.currency) ?? 0) + best.priceCents * quantity);
  }
  return {
    totals: [...totals]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, amountCents]) => ({ currency, amountCents })),
    unpricedPartIds,
  };
}
