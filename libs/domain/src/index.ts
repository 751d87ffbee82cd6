// @mpp/domain: pure decisions and rules of MotoPartPicker. No I/O; see docs/domain.md.

export * from './errors.js';
export { foldEvents, type Decider } from './decider.js';

// Events
export * from './events/value-schemas.js';
export * from './events/domain-event.js';
export { parseEvent, validatedEventData } from './events/parse-event.js';
export * from './events/event-columns.js';
export * from './bike/bike.events.js';
export * from './part/part.events.js';
export * from './retailer/retailer.events.js';
export * from './fitment/fitment.events.js';
export * from './price/price.events.js';
export * from './build/build.events.js';
export * from './rider/rider.events.js';

// Vocabulary and identity
export * from './part/part-categories.js';
export * from './identity/stream-names.js';
export * from './identity/slugs.js';
export * from './identity/identity-keys.js';
export * from './identity/deterministic-ids.js';
export { canonicalJson } from './identity/canonical-json.js';

// Commands and deciders, one per stream kind
export * from './bike/bike.commands.js';
export * from './bike/bike.decider.js';
export * from './part/part.commands.js';
export * from './part/part.decider.js';
export * from './retailer/retailer.commands.js';
export * from './retailer/retailer.decider.js';
export * from './fitment/fitment.commands.js';
export * from './fitment/fitment.state.js';
export * from './fitment/fitment.decider.js';
export * from './price/price.commands.js';
export * from './price/price.decider.js';
export * from './build/build.commands.js';
export * from './build/build.decider.js';
export * from './rider/rider.commands.js';
export * from './rider/rider.decider.js';

// Rules used by projections and queries
export * from './fitment/compatibility-status.js';
export * from './fitment/verification-lifecycle.js';
export * from './fitment/hash-chain.js';
export * from './fitment/verify-chain.js';
export * from './price/price-staleness.js';
export * from './price/regions.js';
export * from './build/build-warnings.js';
export * from './build/build-total-price.js';

// The two clocks of time travel (asOf / recordedAsOf)
export * from './clocks/as-of.js';

// Audit anchors: signed checkpoints over the fitment stream heads
export * from './audit/merkle-tree.js';
export * from './audit/stream-heads.js';
export * from './audit/checkpoint.js';
export * from './audit/checkpoint-consistency.js';
export * from './audit/checkpoint-against-log.js';
export * from './audit/audit-checkpoint.events.js';

// Riders' free text: sealed under a per-user key, the chain covering a salted commitment (erasure)
export * from './personal-text/sealed-text.js';
export * from './personal-text/personal-text-fields.js';
export * from './personal-text/contact-details.js';
export * from './personal-text/user-erased.events.js';
