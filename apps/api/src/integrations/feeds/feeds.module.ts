import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { ConfigError, type AppConfig } from '@mpp/config';
import { retailerIdFor } from '@mpp/domain';
import { CommandsModule } from '../../commands/shell/commands.module.js';
import { Resilience } from '../resilience/resilience.js';
import { FixtureRetailerFeed } from './fixture-retailer-feed.js';
import { DEMO_RETAILER_FEEDS } from './fixtures/demo-retailer-feeds.js';
import { HttpRetailerFeed } from './http-retailer-feed.js';
import { PriceFeedImport } from './price-feed-import.js';
import { PriceUpdateJob } from './price-update.job.js';
import { RETAILER_FEEDS, type RetailerFeed } from './retailer-feed.port.js';
import { parseRetailerFeedsSetting, type RetailerFeedSetting } from './retailer-feeds-setting.js';

/** Retailer price feeds (DESIGN §7): one adapter per configured retailer behind the RetailerFeed port, read hourly. */
@Module({})
export class FeedsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const settings = parseRetailerFeedsSetting(config.RETAILER_FEEDS, config.NODE_ENV);
    const fixtureRows = fixtureRowsByRetailerId();
    for (const [index, setting] of settings.entries()) {
      if (setting.format === 'fixture' && !fixtureRows.has(setting.retailerId)) {
        throw new ConfigError([{ variable: `RETAILER_FEEDS[${index}].retailer`, message: `the fixture has no offers for ${setting.label}` }]);
      }
    }
    new Logger('FeedsModule').log(
      settings.length === 0 ? 'No retailer price feeds (RETAILER_FEEDS)' : `Retailer price feeds: ${settings.map((s) => `${s.label} (${s.format})`).join(', ')}`,
    );
    return {
      module: FeedsModule,
      imports: [CommandsModule],
      providers: [
        {
          provide: RETAILER_FEEDS,
          inject: [Resilience],
          useFactory: (resilience: Resilience): RetailerFeed[] => settings.map((setting) => feedFor(setting, resilience, fixtureRows)),
        },
        PriceFeedImport,
        PriceUpdateJob,
      ],
      exports: [PriceFeedImport],
    };
  }
}

function feedFor(setting: RetailerFeedSetting, resilience: Resilience, fixtureRows: ReadonlyMap<string, (typeof DEMO_RETAILER_FEEDS)[string]>): RetailerFeed {
  if (setting.format === 'fixture') return new FixtureRetailerFeed(setting.retailerId, fixtureRows.get(setting.retailerId)!);
  // One breaker per retailer: one retailer being down must not fail the calls to the others fast.
  return new HttpRetailerFeed(setting.retailerId, setting.url!, setting.format, resilience.for(`retailer-feed:${setting.label}`));
}

function fixtureRowsByRetailerId(): Map<string, (typeof DEMO_RETAILER_FEEDS)[string]> {
  return new Map(Object.entries(DEMO_RETAILER_FEEDS).map(([name, rows]) => [retailerIdFor(name), rows]));
}
