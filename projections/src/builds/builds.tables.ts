/** The builds read model's tables (docs/projections.md, "Read models"): named here alone, read by the API. */

/** One row per build, as its owner last saved it; a deleted build keeps its row, marked `deleted`. */
export const BUILDS = 'builds';
/** A build's parts list (build_id, part_id, quantity, position); removed with the build. */
export const BUILD_PARTS = 'build_parts';
