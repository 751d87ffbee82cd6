import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@mpp/config';
import { AffiliateModule } from './integrations/affiliate/affiliate.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BillingModule } from './integrations/billing/billing.module.js';
import { HealthModule } from './operations/health/health.module.js';
import { loggingParams } from './http/logging.js';
import { DatabaseModule } from './infrastructure/database.module.js';
import { ReadReplicaModule } from './infrastructure/read-replica/read-replica.module.js';
import { IntegrationsModule } from './integrations/resilience/integrations.module.js';
import { JobsModule } from './operations/jobs/jobs.module.js';
import { MailModule } from './integrations/mail/mail.module.js';
import { RateLimitModule } from './http/rate-limit/rate-limit.module.js';
import { APP_CONFIG } from './infrastructure/tokens.js';
import { EventStoreModule } from './infrastructure/event-store.module.js';
import { VerificationsModule } from './commands/verifications/verifications.module.js';
import { CatalogModule } from './commands/catalog/catalog.module.js';
import { BuildsModule } from './commands/builds/builds.module.js';
import { PricesModule } from './commands/prices/prices.module.js';
import { BikesModule } from './queries/bikes/bikes.module.js';
import { PartsModule } from './queries/parts/parts.module.js';
import { ProjectionsAdminModule } from './operations/projections-admin/projections-admin.module.js';
import { MetricsModule } from './operations/metrics/metrics.module.js';
import { FeedsModule } from './integrations/feeds/feeds.module.js';
import { DataQualityModule } from './operations/data-quality/data-quality.module.js';
import { SitemapModule } from './queries/sitemap/sitemap.module.js';
import { DigestModule } from './integrations/digest/digest.module.js';
import { AlertsModule } from './integrations/alerts/alerts.module.js';
import { SearchModule } from './queries/search/search.module.js';
import { AuditModule } from './operations/audit/audit.module.js';
import { RiderModule } from './commands/rider/rider.module.js';
import { ErasureModule } from './commands/erasure/erasure.module.js';
import { AnswerCacheModule } from './http/answer-cache/answer-cache.module.js';

export interface ApiOptions {
  config: AppConfig;
  databaseUrl: string;
  /** Where JSON logs go; stdout when absent. Tests read them to prove what is (not) logged. */
  logDestination?: NodeJS.WritableStream;
  /** Byte budget of the in-memory answer cache (tests lower it to prove the bound). */
  answerCacheBytes?: number;
}

@Module({})
export class AppModule {
  static forRoot(options: ApiOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggingParams(options.config, options.logDestination)),
        CqrsModule.forRoot(),
        DatabaseModule.forRoot(options.databaseUrl, options.config.API_DB_POOL_MAX),
        AnswerCacheModule.forRoot({ databaseUrl: options.databaseUrl, maxBytes: options.answerCacheBytes }),
        ReadReplicaModule.forRoot({ readDatabaseUrl: options.config.DATABASE_READ_URL, maxLagMs: options.config.READ_REPLICA_MAX_LAG_MS }),
        EventStoreModule.forRoot(options.config, options.databaseUrl),
        HealthModule,
        AuthModule.forRoot(options.config),
        VerificationsModule,
        CatalogModule,
        BuildsModule,
        ErasureModule,
        PricesModule,
        BikesModule,
        PartsModule,
        SearchModule,
        ProjectionsAdminModule,
        MetricsModule,
        RateLimitModule.forRoot(options.config),
        IntegrationsModule,
        JobsModule.forRoot(options.config),
        MailModule.forRoot(options.config),
        BillingModule.forRoot(options.config),
        AffiliateModule,
        FeedsModule.forRoot(options.config),
        DataQualityModule,
        SitemapModule,
        DigestModule,
        AlertsModule,
        AuditModule,
        RiderModule,
      ],
      providers: [{ provide: APP_CONFIG, useValue: options.config }],
      exports: [APP_CONFIG],
    };
  }
}
