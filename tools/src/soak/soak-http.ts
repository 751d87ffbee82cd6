export interface Rider {
  userId: string;
  cookie: string;
  csrfToken: string;
}

export interface Answer {
  status: number;
  contentType: string;
  body: unknown;
}

/** One request with a hang bound; a request without an answer within it is reported as `undefined`. */
export async function call(baseUrl: string, path: string, init: { method?: string; rider?: Rider; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Answer | undefined> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.rider) {
    headers.cookie = init.rider.cookie;
    headers['x-csrf-token'] = init.rider.csrfToken;
  }
  try {
    const res = await fetch(baseUrl + path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    return { status: res.status, contentType, body: /json/.test(contentType) && text ? JSON.parse(text) : text };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return undefined;
    // Refused or reset: the process is down or restarting; the caller counts it as unanswered.
    return { status: 0, contentType: '', body: String((error as Error & { cause?: unknown }).cause ?? error) };
  }
}

export async function signInRider(baseUrl: string, email: string, role: 'user' | 'admin' = 'user'): Promise<Rider> {
  const res = await fetch(`${baseUrl}/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, displayName: email.split('@')[0], role }),
  });
  if (res.status !== 200) throw new Error(`dev-login ${email}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string; csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { userId: body.id, cookie, csrfToken: body.csrfToken };
}
