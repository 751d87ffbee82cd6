import { createPrivateKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { Transform, plainToInstance } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, Validate, ValidateIf, ValidationError, validateSync, type ValidatorConstraintInterface } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^\d+$/.test(String(value)) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  return value;
};
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;

/**
 * Every setting the product reads, from the environment only. Validated once at start-up;
 * a bad value stops the process with the variable's name (see loadConfig).
 */
export class AppConfig {
  /** Production unless told otherwise: only `npm start` and the tests opt into development / test. */
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'production';

  /** Absent: the embedded PostgreSQL under `.data/` (npm start) or the test harness's. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /**
   * The role that owns the schema and runs migrations (`npm run migrate`, the API image's start-up
   * step). Absent: DATABASE_URL, i.e. one role for everything, as before least privilege
   * (docs/reliability.md "Database roles"). The apps themselves never read it.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_OWNER_URL must be a postgres:// URL' })
  DATABASE_OWNER_URL?: string;

  /**
   * The logins the API and the projector connect as (each process's own DATABASE_URL). When set,
   * `npm run migrate` creates each login (or sets its password) from the URL and makes it a member of
   * the privilege role `mpp_api` / `mpp_projector`. Absent: the operator manages those logins.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'API_DATABASE_URL must be a postgres:// URL' })
  API_DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'PROJECTOR_DATABASE_URL must be a postgres:// URL' })
  PROJECTOR_DATABASE_URL?: string;

  /** Absent: queries use DATABASE_URL. A streaming replica the API sends queries to while it keeps up. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_READ_URL must be a postgres:// URL' })
  DATABASE_READ_URL?: string;

  /** A replica further behind than this (replay delay) is taken out of rotation until it catches up. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  READ_REPLICA_MAX_LAG_MS = 5000;

  /**
   * Connections of the API's read-model and command pool (knex) to DATABASE_URL. 30: under the soak's
   * 100 connections requests queued for a connection at 20; each process also holds the event-store
   * pool below and a few listeners, so mind the server's max_connections per API process.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  API_DB_POOL_MAX = 30;

  /** Connections of the API's PostgreSQL event-store pool (command loads and appends, chain checks). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  API_EVENT_STORE_POOL_MAX = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  API_PORT = 3000;

  @IsString()
  API_HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  WEB_PORT = 4000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @IsIn(['postgres', 'eventstoredb'])
  EVENT_STORE: 'postgres' | 'eventstoredb' = 'postgres';

  @ValidateIf((c: AppConfig) => c.EVENT_STORE === 'eventstoredb' || c.EVENTSTORE_URL !== undefined)
  @Matches(/^(esdb|kurrentdb|kdb)(\+discover)?:\/\/.+/, { message: 'EVENTSTORE_URL must be an esdb:// or kurrentdb:// connection string' })
  EVENTSTORE_URL?: string;

  @IsIn(['postgres', 'meilisearch'])
  SEARCH: 'postgres' | 'meilisearch' = 'postgres';

  @ValidateIf((c: AppConfig) => c.SEARCH === 'meilisearch' || c.MEILI_URL !== undefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  MEILI_URL?: string;

  @IsOptional()
  @IsString()
  MEILI_MASTER_KEY?: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL = 'http://localhost:4000';

  /**
   * Signs nothing by itself: sessions are opaque random ids in PostgreSQL; this keys the email
   * encryption. Required by the API in production (AuthModule says so at start-up); the CLIs and
   * the projector never read it.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET?: string;

  @IsOptional() @IsString() GOOGLE_CLIENT_ID?: string;
  @IsOptional() @IsString() GOOGLE_CLIENT_SECRET?: string;
  @IsOptional() @IsString() STRIPE_SECRET_KEY?: string;
  @IsOptional() @IsString() STRIPE_WEBHOOK_SECRET?: string;
  @IsOptional() @IsString() STRIPE_PRICE_ID?: string;
  @IsOptional() @IsString() RESEND_API_KEY?: string;

  /**
   * What the Pro page shows as the price when Stripe cannot say (no key, no price id, or Stripe not
   * answering): monthly amounts in minor units per currency, e.g. `USD:499,GBP:449,EUR:499`. With
   * Stripe configured, the Stripe price (and its currency options) is shown instead.
   */
  @IsOptional()
  @Matches(/^[A-Z]{3}:\d{1,7}(,[A-Z]{3}:\d{1,7})*$/, { message: 'PRO_DISPLAY_PRICES must look like USD:499,GBP:449 (currency:monthly amount in minor units, comma-separated)' })
  PRO_DISPLAY_PRICES?: string;

  /** Where the Stripe SDK sends API calls; absent: api.stripe.com. For stripe-mock and tests. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  STRIPE_API_BASE_URL?: string;

  /** Where the Resend SDK sends API calls; absent: api.resend.com. For local stand-ins and tests. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  RESEND_BASE_URL?: string;

  /** Scheduled jobs (outbox sender, partition maintenance...); absent: on, except under NODE_ENV=test. */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  JOBS_ENABLED?: boolean;

  /** Requests per minute per client on every route; absent: 600 (100000 under NODE_ENV=test). */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE?: number;

  /** Requests per minute per client on /auth/* and verification submission; absent: 20 (100000 in tests). */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  RATE_LIMIT_STRICT_PER_MINUTE?: number;

  /** Retailer price feeds: JSON array [{retailer, format: 'fixture'|'json'|'csv', url?}], checked in detail by FeedsModule. */
  @IsOptional()
  @IsString()
  RETAILER_FEEDS?: string;

  @IsString()
  EMAIL_FROM = 'MotoPartPicker <noreply@motopartpicker.local>';

  @Transform(toList)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { each: true })
  CORS_ORIGINS: string[] = [];

  /**
   * Who may say where a request came from (X-Forwarded-For): addresses, CIDR ranges or Express's
   * names `loopback`, `linklocal`, `uniquelocal`. The default trusts only a proxy on this machine
   * (npm start's web server); docker compose trusts its private network. A header from any other
   * peer is ignored, so it cannot pick its own rate-limit bucket.
   */
  @Transform(toList)
  @Validate(class TrustedProxy implements ValidatorConstraintInterface {
    validate = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string' && isProxyAddress(v));
    defaultMessage = () => 'TRUSTED_PROXIES must list IP addresses, CIDR ranges, loopback, linklocal or uniquelocal';
  })
  TRUSTED_PROXIES: string[] = ['loopback'];

  @Transform(toBool)
  @IsBoolean()
  AUTH_DEV_LOGIN = false;

  /** GET /api/dev/mailbox (recipients and bodies of outgoing mail): only with this flag, outside production, from loopback. */
  @Transform(toBool)
  @IsBoolean()
  DEV_MAILBOX = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * Ed25519 private key (PKCS8 PEM; `\n` escapes allowed) that signs audit checkpoints. Absent:
   * no checkpoints are made (the routes answer 503); `npm start` generates one under `.data/`.
   */
  @IsOptional()
  @Matches(/-----BEGIN PRIVATE KEY-----/, { message: 'AUDIT_SIGNING_KEY must be a PKCS8 PEM private key' })
  AUDIT_SIGNING_KEY?: string;

  /** A directory the checkpoint job also writes each checkpoint to: the operator's witness outside the database. */
  @IsOptional()
  @IsString()
  AUDIT_WITNESS_DIR?: string;

  /**
   * Where the audit-witness job POSTs each checkpoint's witness document (JSON), retrying until it is
   * accepted: the operator's witness outside the database, like AUDIT_WITNESS_DIR but on another host.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUDIT_WITNESS_URL?: string;

  /** The checkpoint signing key, checked at start-up (loadConfig) to be Ed25519. */
  get auditSigningKey(): KeyObject | undefined {
    return this.AUDIT_SIGNING_KEY === undefined ? undefined : createPrivateKey(this.AUDIT_SIGNING_KEY.replace(/\\n/g, '\n'));
  }
  /** Projector processes share the projections through leases in PostgreSQL; 0: this process runs every one. */
  @Transform(toBool)
  @IsBoolean()
  PROJECTOR_LEASES = true;

  /**
   * How far the projector steps back from the cores where it shares a machine with the API: the
   * niceness of its own event loop and of the database backends serving it, where the database runs
   * on this machine as a user it may lower (libs/db backend-priority.ts). Projections are background
   * work; riders' requests go first, and the projector catches up in the gaps. 0: unchanged.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(19)
  PROJECTOR_NICE = 10;

  /** Tests run jobs by hand (JobRunner.runNow) so that nothing fires behind their back. */
  get jobsEnabled(): boolean {
    return this.JOBS_ENABLED ?? this.NODE_ENV !== 'test';
  }

  /** Tests of other features must never trip a limit; a test that wants a 429 lowers them. */
  get rateLimits(): { perMinute: number; strictPerMinute: number } {
    const test = this.NODE_ENV === 'test';
    return {
      perMinute: this.RATE_LIMIT_PER_MINUTE ?? (test ? 100_000 : 600),
      strictPerMinute: this.RATE_LIMIT_STRICT_PER_MINUTE ?? (test ? 100_000 : 20),
    };
  }

  /** The dev sign-in must never exist in production, whatever the flag says. */
  get devLoginEnabled(): boolean {
    return this.AUTH_DEV_LOGIN && this.NODE_ENV !== 'production';
  }

  /** Like the dev sign-in: its flag, and never in production. */
  get devMailboxEnabled(): boolean {
    return this.DEV_MAILBOX && this.NODE_ENV !== 'production';
  }
}

function isProxyAddress(value: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [address, bits, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat(KNOWN_OPTIONAL);
  const raw: Record<string, string> = {};
  for (const key of new Set(known)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { forbidUnknownValues: false });
  const keyProblem = errors.some((e) => e.property === 'AUDIT_SIGNING_KEY') ? undefined : signingKeyProblem(config);
  if (keyProblem) errors.push(keyProblem);
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => ({
        variable: e.property,
        message: `${Object.values(e.constraints ?? {}).join('; ')}${SECRET.test(e.property) ? '' : ` (got ${JSON.stringify(raw[e.property] ?? null)})`}`,
      })),
    );
  }
  return config;
}

/** A PEM that class-validator let through can still be no key at all, or not an Ed25519 one. */
function signingKeyProblem(config: AppConfig): ValidationError | undefined {
  if (config.AUDIT_SIGNING_KEY === undefined) return undefined;
  let type: string | undefined;
  try {
    type = config.auditSigningKey?.asymmetricKeyType;
  } catch {
    type = undefined;
  }
  if (type === 'ed25519') return undefined;
  return Object.assign(new ValidationError(), {
    property: 'AUDIT_SIGNING_KEY',
    constraints: { ed25519: 'AUDIT_SIGNING_KEY must be an Ed25519 private key in PKCS8 PEM' },
  });
}

/** Settings whose value must never appear in a message or a log, even when it is wrong. */
const SECRET = /SECRET|_KEY$|DATABASE_(\w+_)?URL$|^EVENTSTORE_URL$/;

// Optional settings have no initialiser, so they are not own keys of a fresh AppConfig.
const KNOWN_OPTIONAL = [
  'DATABASE_URL', 'DATABASE_READ_URL', 'DATABASE_OWNER_URL', 'API_DATABASE_URL', 'PROJECTOR_DATABASE_URL', 'EVENTSTORE_URL', 'MEILI_URL', 'MEILI_MASTER_KEY', 'SESSION_SECRET', 'GOOGLE_CLIENT_ID',
  'GOOGLE_CLIENT_SECRET', 'RETAILER_FEEDS', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PRICE_ID', 'RESEND_API_KEY',
  'PRO_DISPLAY_PRICES', 'STRIPE_API_BASE_URL', 'RESEND_BASE_URL', 'JOBS_ENABLED', 'RATE_LIMIT_PER_MINUTE', 'RATE_LIMIT_STRICT_PER_MINUTE',
  'AUDIT_SIGNING_KEY', 'AUDIT_WITNESS_DIR', 'AUDIT_WITNESS_URL',
];
