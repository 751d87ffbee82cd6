/**
 * The API's answer-cache counters (its /metrics), summed over the route families: read before and
 * after the load, their difference says how many reads were hits, computed misses, or misses that
 * joined a computation already under way (single flight) during the run.
 */
export interface AnswerCacheCounts {
  hits: number;
  misses: number;
  joined: number;
  /** Computed but not kept: a key of the answer changed while it was computed. */
  refused: number;
}

const COUNTERS = { hits: 'mpp_answer_cache_hits_total', misses: 'mpp_answer_cache_misses_total', joined: 'mpp_answer_cache_joined_total', refused: 'mpp_answer_cache_refused_total' } as const;

export async function answerCacheCounts(baseUrl: string): Promise<AnswerCacheCounts | undefined> {
  const text = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) }).then(
    (res) => (res.ok ? res.text() : undefined),
    () => undefined,
  );
  if (text === undefined) return undefined;
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return { hits: sum(COUNTERS.hits), misses: sum(COUNTERS.misses), joined: sum(COUNTERS.joined), refused: sum(COUNTERS.refused) };
}

export function countsBetween(before: AnswerCacheCounts | undefined, after: AnswerCacheCounts | undefined): AnswerCacheCounts | undefined {
  if (!before || !after) return undefined;
  return { hits: after.hits - before.hits, misses: after.misses - before.misses, joined: after.joined - before.joined, refused: after.refused - before.refused };
}
