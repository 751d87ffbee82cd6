/** Configuration of the SSR server process, from the environment only (DESIGN §2). */
export interface WebServerConfig {
  readonly host: string;
  readonly port: number;
  /** Where the API listens; the proxy and server-side rendering both call it directly. */
  readonly apiUrl: string;
  /** The public origin used in canonical URLs, the sitemap and robots.txt. */
  readonly publicBaseUrl: string;
}

export function readWebServerConfig(env: NodeJS.ProcessEnv): WebServerConfig {
  const problems: string[] = [];
  const host = env['WEB_HOST'] || '127.0.0.1';
  const portText = env['WEB_PORT'] || '4000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`WEB_PORT must be an integer between 0 and 65535, got "${portText}"`);
  }
  const apiUrl = readOrigin(env['API_URL'] || 'http://127.0.0.1:3000', 'API_URL', problems);
  const publicBaseUrl = readOrigin(
    env['PUBLIC_BASE_URL'] || `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    'PUBLIC_BASE_URL',
    problems,
  );
  if (problems.length > 0) {
    // A bad value must stop start-up with a clear message rather than serve a half-working site.
    console.error(`Invalid web configuration:\n  - ${problems.join('\n  - ')}`);
    process.exit(1);
  }
  return { host, port, apiUrl, publicBaseUrl };
}

/** An http(s) URL without a trailing slash, so paths can be appended with a plain `+`. */
export function readOrigin(value: string, name: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    problems.push(`${name} must be an absolute http(s) URL, got "${value}" (${(error as Error).message})`);
    return value;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${name} must use http or https, got "${value}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/** NG_ALLOWED_HOSTS: comma-separated host names (`*.example.com` wildcards allowed by Angular). */
export function allowedHostsFromEnv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host.length > 0);
}
