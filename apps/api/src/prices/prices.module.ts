import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { AdminPricesController } from './admin-prices.controller.js';
import { ObservePriceHandler } from './observe-price.handler.js';

@Module({
  imports: [CommandsModule],
  controllers: [AdminPricesController],
  providers: [ObservePriceHandler],
})
export class PricesModule {}
