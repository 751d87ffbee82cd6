/** A signed-in browser, as the API sees it: the session cookie and the double-submitted CSRF token. */
export interface Session {
  userId: string;
  cookie: string;
  csrfToken: string;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface SendOptions {
  method?: string;
  path: string;
  session?: Session;
  body?: unknown;
  headers?: Record<string, string>;
  /** A hang bound, not a latency assertion: past it the request is aborted and the caller fails. */
  timeoutMs?: number;
}

/** One HTTP request to a running API with fetch; the body is parsed when it is JSON. */
export async function send(baseUrl: string, options: SendOptions): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.session) {
    headers.cookie = options.session.cookie;
    headers['x-csrf-token'] ??= options.session.csrfToken;
  }
  const res = await fetch(baseUrl + options.path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  if (/json/.test(res.headers.get('content-type') ?? '') && text.length > 0) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body, text };
}

export async function devSignIn(baseUrl: string, email: string, role: 'user' | 'moderator' | 'admin' = 'user'): Promise<Session> {
  const res = await send(baseUrl, { method: 'POST', path: '/auth/dev-login', body: { email, displayName: email.split('@')[0], role } });
  if (res.status !== 200) throw new Error(`dev-login for ${email} answered ${res.status}: ${res.text}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const body = res.body as { id: string; csrfToken: string };
  return { userId: body.id, cookie, csrfToken: body.csrfToken };
}
