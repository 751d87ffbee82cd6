import { projectorSettingsFromShell } from '../dev/child-processes.js';

const SESSION_SECRET = 'bench-session-secret-0123456789abcdef';
/** Load comes from one address (127.0.0.1): the rate limits must not be what is measured. */
const UNLIMITED = '100000000';

/**
 * What every benchmark child process of the back end (API, projector) shares. PROJECTOR_LEASES=0
 * from the shell runs the projector without leases (one runner for all projections); PROJECTOR_NICE
 * sets how far it steps back from the cores.
 */
export function benchCommonEnv(databaseUrl: string): Record<string, string> {
  return { DATABASE_URL: databaseUrl, SESSION_SECRET, LOG_LEVEL: 'warn', JOBS_ENABLED: '0', ...projectorSettingsFromShell() };
}

/** An API child listening on loopback at `port`, without rate limits. */
export function benchApiEnv(common: Record<string, string>, port: number): Record<string, string> {
  return {
    ...common,
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    PUBLIC_BASE_URL: 'http://127.0.0.1:4000',
    RATE_LIMIT_PER_MINUTE: UNLIMITED,
    RATE_LIMIT_STRICT_PER_MINUTE: UNLIMITED,
  };
}
