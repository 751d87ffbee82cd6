/** The prices read model's tables (docs/projections.md, "Read models"): named here alone, read by the API and the tools. */

/** Each retailer's newest observed price per part (part_id, retailer_id, price_cents, currency, in_stock, url, observed_at). */
export const PART_PRICES = 'part_prices';
/** The lowest price per part, retailer and UTC day. */
export const PRICE_HISTORY = 'price_history';
/** Per part, one best offer across its currencies (cheapest in stock, else cheapest; amounts compared as they are): no answer for one currency. */
export const PART_BEST_PRICES = 'part_best_prices';
/** Per part, the position of the last event that changed its current prices (`prices:<partId>`): the API labels and evicts a part's prices answers by it. */
export const PRICE_VERSIONS = 'price_versions';
