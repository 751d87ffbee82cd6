import { Module } from '@nestjs/common';
import { BikePartsHandler } from './bike-parts.query.js';
import { BikeByIdOrSlugHandler, BikeOptionsHandler, ListBikesHandler } from './bikes.query.js';
import { BikesController } from './bikes.controller.js';

@Module({
  controllers: [BikesController],
  providers: [ListBikesHandler, BikeOptionsHandler, BikeByIdOrSlugHandler, BikePartsHandler],
})
export class BikesModule {}
