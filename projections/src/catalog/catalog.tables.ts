/** The catalog read model's tables (docs/projections.md, "Read models"): named here alone, read by the API and the tools. */

/** Bikes: the year -> make -> model cascade and the slug pages. */
export const BIKES = 'bikes';
/** Parts: slug pages, category and brand filters. */
export const PARTS = 'parts';
/** Retailers: names and base URLs. */
export const RETAILERS = 'retailers';
