/**
 * The search engine could not answer. Callers map it to 503 (the rider's query was valid: bad
 * queries are `ValidationFailed` before any engine sees them). `permanent` tells an indexer whether
 * sending the same request again can succeed: a transient failure (unreachable, timed out, 5xx,
 * 429, an index not built yet) is retried with the checkpoint kept; a permanent one is recorded and
 * reported instead of being retried forever.
 */
export class SearchUnavailable extends Error {
  readonly permanent: boolean;

  constructor(message: string, options?: { cause?: unknown; permanent?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SearchUnavailable';
    this.permanent = options?.permanent ?? false;
  }
}

/**
 * The engine answered our request with a 4xx: an index that does not exist (transient: the indexer
 * creates it), or a request it will refuse again (invalid request, payload too large, a bad key).
 */
export class SearchRequestRejected extends SearchUnavailable {
  constructor(
    readonly status: number,
    /** The engine's error code, e.g. `index_not_found`, `payload_too_large`, `invalid_swap_indexes`. */
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`search engine refused the request (${status} ${code}): ${detail}`, { cause: options?.cause, permanent: code !== 'index_not_found' });
    this.name = 'SearchRequestRejected';
  }
}

/**
 * Meilisearch processed a task and reported it failed: the documents or settings were not applied.
 * Permanent when the engine calls the request invalid (the same documents fail the same way), else
 * transient (an internal or system error).
 */
export class SearchTaskFailed extends SearchUnavailable {
  constructor(
    readonly taskUid: number,
    readonly status: string,
    readonly detail: string,
    /** The task error's code and type (`invalid_request`, `auth`, `internal`, `system`), when it has one. */
    readonly code?: string,
    readonly type?: string,
  ) {
    super(`Meilisearch task ${taskUid} ${status}${code ? ` (${code})` : ''}: ${detail}`, { permanent: (type === 'invalid_request' || type === 'auth') && code !== 'index_not_found' });
    this.name = 'SearchTaskFailed';
  }
}
