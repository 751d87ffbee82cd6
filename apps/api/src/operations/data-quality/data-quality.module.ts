import { Module } from '@nestjs/common';
import { AdminDataQualityController } from './admin-data-quality.controller.js';
import { DataQualityCheckJob } from './data-quality-check.job.js';
import { DataQualityRunsRepository } from './data-quality-runs.repository.js';

/** The daily data-quality check (DESIGN §7) and its admin page. */
@Module({
  controllers: [AdminDataQualityController],
  providers: [DataQualityRunsRepository, DataQualityCheckJob],
})
export class DataQualityModule {}
