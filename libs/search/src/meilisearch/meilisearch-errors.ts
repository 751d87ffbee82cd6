import { MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError, MeilisearchTaskTimeOutError } from 'meilisearch';
import { SearchRequestRejected, SearchUnavailable } from '../search-errors.js';

/**
 * Runs one adapter operation and turns the client's errors into the port's: no answer, a timeout,
 * a 5xx, a 429 or an answer that is not JSON is `SearchUnavailable` (transient); any other 4xx is `SearchRequestRejected`
 * with Meilisearch's error code (index_not_found, invalid_*, payload_too_large, ...), so the API
 * answers 503 rather than 500 and the indexer can tell a retry from a dead end.
 */
export async function withSearchErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw searchErrorOf(error);
  }
}

export function searchErrorOf(error: unknown): unknown {
  if (error instanceof SearchUnavailable) return error;
  if (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError || error instanceof MeilisearchTaskTimeOutError) {
    return new SearchUnavailable(`Meilisearch did not answer: ${error.message}`, { cause: error });
  }
  // The client parses every answer as JSON: an HTML page from a proxy in front of Meilisearch (a 502)
  // fails there, before any status is seen.
  if (error instanceof SyntaxError) return new SearchUnavailable(`Meilisearch answered with something that is not JSON: ${error.message}`, { cause: error });
  if (error instanceof MeilisearchApiError) {
    const status = error.response.status;
    if (status >= 500 || status === 429) return new SearchUnavailable(`Meilisearch failed (${status}): ${error.message}`, { cause: error });
    // A proxy's 413 has no Meilisearch body; the status says the same thing.
    const code = error.cause?.code ?? (status === 413 ? 'payload_too_large' : `http_${status}`);
    return new SearchRequestRejected(status, code, error.message, { cause: error });
  }
  return error;
}
