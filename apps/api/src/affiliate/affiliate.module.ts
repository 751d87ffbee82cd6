import { Global, Module } from '@nestjs/common';
import { AffiliateClicks } from './affiliate-clicks.js';
import { AffiliatePartitionMaintenanceJob } from './affiliate-partition-maintenance.job.js';
import { AffiliateController } from './affiliate.controller.js';

/** Global so the /go/:partId/:retailerId redirect (catalog side) can record through AffiliateClicks. */
@Global()
@Module({
  controllers: [AffiliateController],
  providers: [AffiliateClicks, AffiliatePartitionMaintenanceJob],
  exports: [AffiliateClicks],
})
export class AffiliateModule {}
