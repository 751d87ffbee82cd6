import { Module } from '@nestjs/common';
import { CommandsModule } from '../shell/commands.module.js';
import { AdminPricesController } from './admin-prices.controller.js';
import { ObservePriceHandler } from './observe-price.command.js';
import { CurrentPricesHandler, ListRetailersHandler, PriceHistoryHandler } from './prices.query.js';
import { PricesController } from './prices.controller.js';

@Module({
  imports: [CommandsModule],
  controllers: [AdminPricesController, PricesController],
  providers: [ObservePriceHandler, CurrentPricesHandler, PriceHistoryHandler, ListRetailersHandler],
  exports: [ObservePriceHandler],
})
export class PricesModule {}
