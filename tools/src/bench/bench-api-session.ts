/**
 * A signed-in client of the API for benchmarks: the session and CSRF cookies of `POST
 * /auth/dev-login`, replayed by hand. Sessions live in PostgreSQL, so one obtained from a development
 * API process keeps working against a production-mode API on the same database (which has no dev
 * sign-in).
 */
export class BenchApiSession {
  private cookies = new Map<string, string>();
  private csrfToken = '';

  constructor(public baseUrl: string) {}

  async signIn(email: string, displayName: string, role: 'user' | 'admin'): Promise<void> {
    const body = await this.post<{ csrfToken: string }>('/auth/dev-login', { email, displayName, role });
    this.csrfToken = body.csrfToken;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...this.authHeaders() },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    for (const header of res.headers.getSetCookie()) {
      const pair = header.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  private authHeaders(): Record<string, string> {
    return {
      ...(this.cookies.size > 0 ? { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      ...(this.csrfToken ? { 'X-CSRF-Token': this.csrfToken } : {}),
    };
  }
}
