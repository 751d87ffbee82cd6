import { Module } from '@nestjs/common';
import { CommandsModule } from '../shell/commands.module.js';
import { ModerateVerificationHandler } from './moderate-verification.command.js';
import { RetractVerificationHandler } from './retract-verification.command.js';
import { SubmitVerificationHandler } from './submit-verification.command.js';
import { VerificationLocator } from './verification-locator.js';
import { VerificationsController } from './verifications.controller.js';
import { RecentVerificationsHandler } from './recent-verifications.query.js';
import { MyVerificationsHandler } from './my-verifications.query.js';
import { HiddenVerificationsHandler } from './hidden-verifications.query.js';

@Module({
  imports: [CommandsModule],
  controllers: [VerificationsController],
  providers: [SubmitVerificationHandler, RetractVerificationHandler, ModerateVerificationHandler, VerificationLocator, RecentVerificationsHandler, MyVerificationsHandler, HiddenVerificationsHandler],
})
export class VerificationsModule {}
