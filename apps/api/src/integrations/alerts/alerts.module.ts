import { Module } from '@nestjs/common';
import { CommandsModule } from '../../commands/shell/commands.module.js';
import { PriceAlertCheckJob } from './price-alert-check.job.js';
import { PriceAlertsController } from './price-alerts.controller.js';
import { PriceAlertsRepository } from './price-alerts.repository.js';

/** Price-drop alerts (Pro plan): the routes, the table and the job that mails them. */
@Module({
  imports: [CommandsModule],
  controllers: [PriceAlertsController],
  providers: [PriceAlertsRepository, PriceAlertCheckJob],
})
export class AlertsModule {}
