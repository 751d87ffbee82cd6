import { Global, Module } from '@nestjs/common';
import { AffiliateClicks } from './affiliate-clicks.js';
import { AffiliatePartitionMaintenanceJob } from './affiliate-partition-maintenance.job.js';
import { AffiliateController } from './affiliate.controller.js';
import { OutboundLinkController } from './outbound-link.controller.js';

/** Click attribution: the click API, the /go redirect, and the monthly partitions behind them. */
@Global()
@Module({
  controllers: [AffiliateController, OutboundLinkController],
  providers: [AffiliateClicks, AffiliatePartitionMaintenanceJob],
  exports: [AffiliateClicks],
})
export class AffiliateModule {}
