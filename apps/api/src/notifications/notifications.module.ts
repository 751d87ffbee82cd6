import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { ReactorCheckpoints } from './reactor-checkpoints.js';
import { VerificationReceiptsJob } from './verification-receipts.job.js';
import { VerificationReceiptsReactor } from './verification-receipts.reactor.js';

/** Mails caused by events in the log (not by a request's own transaction): reactors with checkpoints. */
@Module({
  imports: [CommandsModule],
  providers: [ReactorCheckpoints, VerificationReceiptsReactor, VerificationReceiptsJob],
})
export class NotificationsModule {}
