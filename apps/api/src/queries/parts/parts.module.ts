import { Module } from '@nestjs/common';
import { PartCompatibilityHandler } from './part-compatibility.query.js';
import { PartLookup } from './part-lookup.js';
import { ListPartsHandler, PartDetailHandler } from './parts.query.js';
import { PartVerificationsHandler, chainTailsProvider } from './part-verifications.query.js';
import { PartsController } from './parts.controller.js';

@Module({
  controllers: [PartsController],
  providers: [PartLookup, ListPartsHandler, PartDetailHandler, PartVerificationsHandler, chainTailsProvider, PartCompatibilityHandler],
  exports: [PartLookup],
})
export class PartsModule {}
