/** A document's sample tokens (migration 0026): `#s<j>` marks 2^j of 64 buckets, j from 0 to 5. */
export const SAMPLE_BUCKETS = 64;
/** Matches a sample should hold for its estimates to be about 10 % off. */
const MATCHES_TO_ESTIMATE = 100;

/** What the smallest sample (1 bucket of 64) of a broad query held. */
export interface SmallestSampleCounts {
  /** Its matches (words and price range). */
  matches: number;
  /** Those of them passing every facet filter too. */
  filtered: number;
}

/**
 * How many of the 64 buckets a broad query reads to estimate its total and facets (a power of two,
 * at most 32, and no larger than is expected to hold `cap` matches).
 *
 * Larger than 1 bucket when the smallest sample holds fewer than a hundred matches, and when too few
 * of them pass every filter to fill the page (`pageEnd`: offset + limit) provided that the largest
 * affordable sample is expected to fill it. When even that one is not, the matches with every filter
 * are read anyway, and a larger sample would be read only to be thrown away: a common word narrowed
 * by a category and a brand read 2,000 rows for nothing, the slowest search of the benchmark.
 */
export function sampleBuckets(smallest: SmallestSampleCounts, pageEnd: number, cap: number): number {
  const affordable = (buckets: number) => buckets < SAMPLE_BUCKETS / 2 && smallest.matches * buckets * 2 <= cap;
  const fillsPage = (buckets: number) => smallest.filtered * buckets >= 2 * pageEnd;
  let largest = 1;
  while (affordable(largest)) largest *= 2;
  const wanted = (buckets: number) => smallest.matches * buckets < MATCHES_TO_ESTIMATE || (fillsPage(largest) && !fillsPage(buckets));
  let buckets = 1;
  while (wanted(buckets) && affordable(buckets)) buckets *= 2;
  return buckets;
}
