/** The compatibility read model's tables (docs/projections.md, "Read models"): named here alone. */

/** The public view: one row per (part, bike) with evidence. */
export const COMPATIBILITY_RECORDS = 'compatibility_records';
/** Private state (no public view): one row per verification, enough to recount a pair. */
export const COMPATIBILITY_VERIFICATIONS = 'compatibility_verifications';
/** Private state: the part fields copied into the records so the bike-parts query needs no join. */
export const COMPATIBILITY_PARTS = 'compatibility_parts';
/** Per part, the position of the last event that changed its records (`compatibility:<partId>`): the API labels and evicts a part's compatibility answers by it. */
export const COMPATIBILITY_VERSIONS = 'compatibility_versions';
