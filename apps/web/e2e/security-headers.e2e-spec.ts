import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startStubApi, STUB_BIKE, StubApi } from './support/stub-api.js';
import { RunningWebServer, startWebServer } from './support/web-server.js';

/** The built SSR server over real HTTP: the security headers a browser relies on, and a CSP the page itself obeys. */
describe('web security headers', () => {
  let api: StubApi;
  let web: RunningWebServer;

  beforeAll(async () => {
    api = await startStubApi();
    web = await startWebServer({ API_URL: api.url, PUBLIC_BASE_URL: 'https://motopartpicker.example' });
  });
  afterAll(async () => {
    await web?.stop();
    await api?.close();
  });

  const directives = (csp: string | null) => new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  it.each(['/', `/bikes/${STUB_BIKE.slug}`, '/robots.txt'])('sends CSP, frame, sniffing, HSTS and referrer headers on %s', async (path) => {
    const res = await fetch(web.url + path);
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8,}/);
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it("gives every script of a server-rendered page this response's nonce, and a new one each time", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${web.url}/bikes/${STUB_BIKE.slug}`);
      const nonce = directives(res.headers.get('content-security-policy')).get('script-src')?.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      // Every script the browser would run; data blocks (ng-state, JSON-LD) are not run.
      const scripts = ((await res.text()).match(/<script\b[^>]*>/g) ?? []).filter((tag) => !/type="application\/(ld\+)?json"/.test(tag));
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);
      nonces.push(nonce!);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('marks a page rendered for a signed-in rider private, no-store, and only that', async () => {
    const signedIn = await fetch(`${web.url}/`, { headers: { cookie: 'mpp_session=abc; csrf=def' } });
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    const anonymous = await fetch(`${web.url}/`);
    expect(anonymous.headers.get('cache-control')).not.toBe('private, no-store');
  });
});
