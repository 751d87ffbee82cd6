import { Transform, plainToInstance } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';

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
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** Absent: the embedded PostgreSQL under `.data/` (npm start) or the test harness's. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Absent: queries use DATABASE_URL. A streaming replica the API sends queries to while it keeps up. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_READ_URL must be a postgres:// URL' })
  DATABASE_READ_URL?: string;

  /** A replica further behind than this (replay delay) is taken out of rotation until it catches up. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  READ_REPLICA_MAX_LAG_MS = 5000;

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

  /** Signs nothing by itself: sessions are opaque random ids in PostgreSQL; this keys the email encryption. */
  @ValidateIf((c: AppConfig) => c.NODE_ENV === 'production' || c.SESSION_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters' })
  SESSION_SECRET?: string;

  @IsOptional() @IsString() GOOGLE_CLIENT_ID?: string;
  @IsOptional() @IsString() GOOGLE_CLIENT_SECRET?: string;
  @IsOptional() @IsString() STRIPE_SECRET_KEY?: string;
  @IsOptional() @IsString() STRIPE_WEBHOOK_SECRET?: string;
  @IsOptional() @IsString() STRIPE_PRICE_ID?: string;
  @IsOptional() @IsString() RESEND_API_KEY?: string;

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

  @Transform(toBool)
  @IsBoolean()
  AUTH_DEV_LOGIN = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Projector processes share the projections through leases in PostgreSQL; 0: this process runs every one. */
  @Transform(toBool)
  @IsBoolean()
  PROJECTOR_LEASES = true;

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
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => ({
        variable: e.property,
        message: `${Object.values(e.constraints ?? {}).join('; ')} (got ${JSON.stringify(raw[e.property] ?? null)})`,
      })),
    );
  }
  return config;
}

// Optional settings have no initialiser, so they are not own keys of a fresh AppConfig.
const KNOWN_OPTIONAL = [
  'DATABASE_URL', 'DATABASE_READ_URL', 'EVENTSTORE_URL', 'MEILI_URL', 'MEILI_MASTER_KEY', 'SESSION_SECRET', 'GOOGLE_CLIENT_ID',
  'GOOGLE_CLIENT_SECRET', 'RETAILER_FEEDS', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PRICE_ID', 'RESEND_API_KEY',
  'STRIPE_API_BASE_URL', 'RESEND_BASE_URL', 'JOBS_ENABLED', 'RATE_LIMIT_PER_MINUTE', 'RATE_LIMIT_STRICT_PER_MINUTE',
];
