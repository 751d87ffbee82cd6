import { Module } from '@nestjs/common';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor.js';
import { StreamCommands } from './stream-commands.js';

/** The shared shell of command handlers; each feature module brings its own handlers. */
@Module({
  providers: [StreamCommands, IdempotencyInterceptor],
  exports: [StreamCommands, IdempotencyInterceptor],
})
export class CommandsModule {}
