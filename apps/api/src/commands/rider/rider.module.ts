import { Module } from '@nestjs/common';
import { CommandsModule } from '../shell/commands.module.js';
import { ChangeRiderPreferencesHandler } from './change-rider-preferences.command.js';
import { RiderPreferencesController } from './rider-preferences.controller.js';
import { RiderPreferencesHandler } from './rider-preferences.query.js';

/** A signed-in rider's region and garage bike, on the account (DESIGN §10 "Regions", docs/web.md). */
@Module({
  imports: [CommandsModule],
  controllers: [RiderPreferencesController],
  providers: [ChangeRiderPreferencesHandler, RiderPreferencesHandler],
})
export class RiderModule {}
