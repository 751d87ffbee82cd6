import { Module } from '@nestjs/common';
import { CommandsModule } from '../shell/commands.module.js';
import { AccountErasure } from './account-erasure.js';
import { AccountErasureController } from './account-erasure.controller.js';

/** Erasure of a person: crypto-shredding of their text plus their account data (docs/reliability.md). */
@Module({
  imports: [CommandsModule],
  controllers: [AccountErasureController],
  providers: [AccountErasure],
})
export class ErasureModule {}
