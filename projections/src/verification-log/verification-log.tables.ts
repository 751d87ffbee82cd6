/** The verification log read model's tables (docs/projections.md, "Read models"): named here alone. */

/** The public view: one row per verification, where it came from in the log and where it stands. */
export const VERIFICATION_LOG = 'verification_log';
/** Every event of every fitment stream in chain order, with its data and hashes: the trail's history and the chain check. */
export const VERIFICATION_LOG_EVENTS = 'verification_log_events';
/** Per part, the position of the last event that changed its trail (`verifications:<partId>`): the API labels and evicts a part's trail answers by it. */
export const VERIFICATION_LOG_VERSIONS = 'verification_log_versions';
