/**
 * The search engine could not answer (unreachable, timed out, rejected a task). Callers map it to
 * 503; an indexer retries and keeps its checkpoint.
 */
export class SearchUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchUnavailable';
  }
}

/** Meilisearch processed a task and reported it failed: the documents or settings were not applied. */
export class SearchTaskFailed extends Error {
  constructor(
    readonly taskUid: number,
    readonly status: string,
    readonly detail: string,
  ) {
    super(`Meilisearch task ${taskUid} ${status}: ${detail}`);
    this.name = 'SearchTaskFailed';
  }
}
