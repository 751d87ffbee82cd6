import { Module } from '@nestjs/common';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UserKeysRepository } from '../erasure/user-keys.repository.js';
import { StreamCommands } from './stream-commands.js';

/** The shared shell of command handlers; each feature module brings its own handlers. */
@Module({
  providers: [StreamCommands, IdempotencyInterceptor, UserKeysRepository],
  exports: [StreamCommands, IdempotencyInterceptor, UserKeysRepository],
})
export class CommandsModule {}
