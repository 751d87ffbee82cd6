import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A recording HTTP double of a Meilisearch server, on loopback. It proves OUR side of the wire: the
 * requests the adapter and the indexer send (paths, bodies, order) and how they handle the answers
 * Meilisearch documents (enqueued tasks, task outcomes, 4xx/5xx error bodies). It does not search,
 * rank, filter or apply settings: whether those requests make Meilisearch behave as the port
 * promises is proven only by the contract suite against a real server (`npm run test:stores`).
 *
 * Answers follow the shapes of Meilisearch v1.50: mutations answer 202 with a summarized task,
 * `GET /tasks/:uid` the task (succeeded unless told otherwise), `POST /multi-search` one empty
 * page per query, errors `{ message, code, type, link }`.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface MeilisearchErrorBody {
  message: string;
  code: string;
  type: 'invalid_request' | 'internal' | 'auth' | 'system';
}

interface RecordedTask {
  uid: number;
  indexUid: string | null;
  status: 'succeeded' | 'failed';
  type: string;
  error: (MeilisearchErrorBody & { link: string }) | null;
}

interface Refusal {
  method: string;
  path: RegExp;
  status: number;
  /** Absent: an empty body; a string: that text as is (a proxy's HTML page in front of Meilisearch). */
  error?: MeilisearchErrorBody | string;
  times: number;
}

/** What one query of a multi-search answers: how many it matched and which documents. */
export interface CannedSearchAnswer {
  totalHits: number;
  hits?: unknown[];
  facetDistribution?: Record<string, Record<string, number>>;
}

export type MultiSearchQueryBody = { indexUid: string; q?: string; filter?: string[]; hitsPerPage?: number; page?: number; limit?: number; offset?: number; sort?: string[] };

export interface MeilisearchWireRecorder {
  readonly url: string;
  /** Every request, in arrival order (task polls included). */
  readonly requests: readonly RecordedRequest[];
  /** The requests that are not task polls: what the adapter asked Meilisearch to do. */
  operations(): RecordedRequest[];
  /** Answers the next `times` requests matching method and path with this status and error body. */
  refuse(method: string, path: RegExp, status: number, error?: MeilisearchErrorBody | string, times?: number): void;
  /** Makes the next task of this type (`settingsUpdate`, `documentAdditionOrUpdate`, ...) end failed. */
  failNextTask(type: string, error: MeilisearchErrorBody): void;
  /** Answers each multi-search query with this instead of an empty page. */
  answerSearches(answer: (query: MultiSearchQueryBody) => CannedSearchAnswer): void;
  close(): Promise<void>;
}

const TASK_TYPES: { method: string; path: RegExp; type: string; index: (m: RegExpMatchArray, body: unknown) => string | null }[] = [
  { method: 'POST', path: /^\/indexes$/, type: 'indexCreation', index: (_m, body) => (body as { uid: string }).uid },
  { method: 'PATCH', path: /^\/indexes\/([^/]+)\/settings$/, type: 'settingsUpdate', index: (m) => m[1] },
  { method: 'POST', path: /^\/indexes\/([^/]+)\/documents$/, type: 'documentAdditionOrUpdate', index: (m) => m[1] },
  { method: 'PUT', path: /^\/indexes\/([^/]+)\/documents$/, type: 'documentAdditionOrUpdate', index: (m) => m[1] },
  { method: 'DELETE', path: /^\/indexes\/([^/]+)$/, type: 'indexDeletion', index: (m) => m[1] },
  { method: 'POST', path: /^\/swap-indexes$/, type: 'indexSwap', index: () => null },
];

export async function startMeilisearchWireRecorder(): Promise<MeilisearchWireRecorder> {
  const requests: RecordedRequest[] = [];
  const refusals: Refusal[] = [];
  const taskFailures = new Map<string, MeilisearchErrorBody[]>();
  const tasks = new Map<number, RecordedTask>();
  const indexes = new Set<string>();
  let nextTaskUid = 0;
  let searchAnswer: (query: MultiSearchQueryBody) => CannedSearchAnswer = () => ({ totalHits: 0 });

  const errorBody = (error: MeilisearchErrorBody) => ({ ...error, link: `https://docs.meilisearch.com/errors#${error.code}` });

  function enqueue(type: string, indexUid: string | null): { status: number; body: unknown } {
    const uid = nextTaskUid++;
    const queued = taskFailures.get(type)?.shift();
    let error = queued ? errorBody(queued) : null;
    // The engine's own answers for what the double can tell: creating an index twice, and the index set.
    if (!error && type === 'indexCreation' && indexUid !== null && indexes.has(indexUid)) {
      error = errorBody({ message: `Index \`${indexUid}\` already exists.`, code: 'index_already_exists', type: 'invalid_request' });
    }
    if (!error && indexUid !== null) {
      if (type === 'indexDeletion') indexes.delete(indexUid);
      else indexes.add(indexUid);
    }
    tasks.set(uid, { uid, indexUid, status: error ? 'failed' : 'succeeded', type, error });
    return { status: 202, body: { taskUid: uid, indexUid, status: 'enqueued', type, enqueuedAt: new Date(0).toISOString() } };
  }

  function answer(request: RecordedRequest): { status: number; body?: unknown; text?: string } {
    const refusal = refusals.find((r) => r.method === request.method && r.path.test(request.path) && r.times > 0);
    if (refusal) {
      refusal.times -= 1;
      if (typeof refusal.error === 'string') return { status: refusal.status, text: refusal.error };
      return { status: refusal.status, body: refusal.error && errorBody(refusal.error) };
    }
    const task = /^\/tasks\/(\d+)$/.exec(request.path);
    if (request.method === 'GET' && task) {
      const found = tasks.get(Number(task[1]));
      return found
        ? { status: 200, body: { ...found, details: {}, duration: 'PT0S', enqueuedAt: new Date(0).toISOString(), startedAt: null, finishedAt: null } }
        : { status: 404, body: errorBody({ message: `Task \`${task[1]}\` not found.`, code: 'task_not_found', type: 'invalid_request' }) };
    }
    if (request.method === 'POST' && request.path === '/multi-search') {
      const { queries } = request.body as { queries: MultiSearchQueryBody[] };
      return {
        status: 200,
        body: {
          results: queries.map((query) => {
            const { totalHits, hits = [], facetDistribution = {} } = searchAnswer(query);
            const hitsPerPage = query.hitsPerPage ?? 20;
            return {
              indexUid: query.indexUid,
              hits,
              query: query.q ?? '',
              processingTimeMs: 0,
              ...(query.page !== undefined || query.hitsPerPage !== undefined
                ? { page: query.page ?? 1, hitsPerPage, totalPages: hitsPerPage === 0 ? 0 : Math.ceil(totalHits / hitsPerPage), totalHits }
                : { offset: query.offset ?? 0, limit: query.limit ?? 20, estimatedTotalHits: totalHits }),
              facetDistribution,
            };
          }),
        },
      };
    }
    // GET /indexes/{uid}: the index (uid and primary key) or 404 `index_not_found`, as the indexer's swap looks it up.
    const index = request.method === 'GET' ? /^\/indexes\/([^/]+)$/.exec(request.path) : null;
    if (index) {
      return indexes.has(index[1])
        ? { status: 200, body: { uid: index[1], primaryKey: 'id', createdAt: '2026-12-03T00:00:00Z', updatedAt: '2026-12-03T00:00:00Z' } }
        : { status: 404, body: errorBody({ message: `Index \`${index[1]}\` not found.`, code: 'index_not_found', type: 'invalid_request' }) };
    }
    for (const route of TASK_TYPES) {
      const match = request.method === route.method ? route.path.exec(request.path) : null;
      if (match) return enqueue(route.type, route.index(match, request.body));
    }
    return { status: 404, body: errorBody({ message: `${request.method} ${request.path} is not a route of this double.`, code: 'not_found', type: 'invalid_request' }) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://recorder');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text === '' ? undefined : JSON.parse(text),
      authorization: req.headers.authorization,
    };
    requests.push(request);
    const { status, body, text: raw } = answer(request);
    if (raw !== undefined) {
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(raw);
      return;
    }
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(errorBody({ message: `double failed: ${(error as Error).message}`, code: 'internal', type: 'internal' })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    operations: () => requests.filter((r) => !(r.method === 'GET' && r.path.startsWith('/tasks/'))),
    refuse(method, path, status, error, times = 1) {
      refusals.push({ method, path, status, error, times });
    },
    failNextTask(type, error) {
      taskFailures.set(type, [...(taskFailures.get(type) ?? []), error]);
    },
    answerSearches(answer) {
      searchAnswer = answer;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
