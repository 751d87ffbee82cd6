/** The verifications-per-make-month read model's tables (docs/projections.md, "Read models"): named here alone. */

/** Fit verifications per bike make and UTC month, split into confirmations and refutations. */
export const VERIFICATIONS_PER_MAKE_MONTH = 'verifications_per_make_month';
/** Private lookup: verifications name a bike id; the statistic groups by the bike's make. */
export const VERIFICATIONS_PER_MAKE_MONTH_BIKES = 'verifications_per_make_month_bikes';
