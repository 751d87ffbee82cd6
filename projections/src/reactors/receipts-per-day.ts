/**
 * Verification receipts one rider gets per rolling 24 hours; later verifications are not mailed. A
 * cap rather than a digest: a receipt confirms an action the rider just took, and after ten in a
 * day the eleventh confirms nothing new; "my verifications" lists every one. The outbox is the
 * counter (indexed by recipient), read inside the reactor's batch transaction, which one runner at
 * a time holds.
 */
export const RECEIPTS_PER_DAY = 10;
