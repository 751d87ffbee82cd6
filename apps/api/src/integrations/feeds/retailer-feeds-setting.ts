import { plainToInstance } from 'class-transformer';
import { IsIn, IsString, IsUrl, MaxLength, MinLength, ValidateIf, validateSync } from 'class-validator';
import { ConfigError, type AppConfig } from '@mpp/config';
import { retailerIdFor } from '@mpp/domain';
import { FIXTURE_FEED_RETAILERS } from './fixtures/demo-retailer-feeds.js';

export const FEED_FORMATS = ['fixture', 'json', 'csv'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

class FeedSetting {
  /** The retailer's name as registered in the catalog, or its id. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  retailer!: string;

  @IsIn(FEED_FORMATS)
  format!: FeedFormat;

  @ValidateIf((s: FeedSetting) => s.format !== 'fixture')
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  url?: string;
}

export interface RetailerFeedSetting {
  retailerId: string;
  /** What the logs and integration_errors call this feed: the configured name, never a URL with a token in it. */
  label: string;
  format: FeedFormat;
  url?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * RETAILER_FEEDS, a JSON array: `[{"retailer": "RevZilla", "format": "csv", "url": "https://..."},
 * {"retailer": "Louis", "format": "fixture"}]`. Validated at start-up like the rest of the
 * configuration: a bad value stops the API with a ConfigError naming the variable.
 *
 * Absent: the fixture feeds of the demo retailers in development (so `npm start` shows hourly
 * prices), and no feeds in production and tests (they configure theirs).
 */
export function parseRetailerFeedsSetting(raw: string | undefined, nodeEnv: AppConfig['NODE_ENV']): RetailerFeedSetting[] {
  if (raw === undefined || raw.trim() === '') {
    return nodeEnv === 'development' ? FIXTURE_FEED_RETAILERS.map((name) => ({ retailerId: retailerIdFor(name), label: name, format: 'fixture' })) : [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError([{ variable: 'RETAILER_FEEDS', message: `must be a JSON array (${(error as Error).message})` }]);
  }
  if (!Array.isArray(parsed)) throw new ConfigError([{ variable: 'RETAILER_FEEDS', message: 'must be a JSON array of {retailer, format, url?}' }]);
  const problems: { variable: string; message: string }[] = [];
  const settings = parsed.map((entry: unknown, index) => {
    const setting = plainToInstance(FeedSetting, typeof entry === 'object' && entry !== null ? entry : {});
    for (const error of validateSync(setting, { forbidUnknownValues: false })) {
      problems.push({ variable: `RETAILER_FEEDS[${index}].${error.property}`, message: Object.values(error.constraints ?? {}).join('; ') });
    }
    return setting;
  });
  const ids = settings.map((s) => (UUID.test(s.retailer) ? s.retailer.toLowerCase() : retailerIdFor(s.retailer)));
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) problems.push({ variable: `RETAILER_FEEDS[${index}].retailer`, message: 'names a retailer that already has a feed' });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return settings.map((s, index) => ({ retailerId: ids[index]!, label: s.retailer, format: s.format, ...(s.format === 'fixture' ? {} : { url: s.url }) }));
}

