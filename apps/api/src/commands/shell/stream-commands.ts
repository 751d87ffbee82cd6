import { Inject, Injectable } from '@nestjs/common';
import { CommandShell, type EventStore } from '@mpp/event-store';
import { UserKeysRepository } from '../erasure/user-keys.repository.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';

/**
 * The framework-free command shell (`@mpp/event-store`'s `CommandShell`: load, fold, decide, seal,
 * chain, append) as a Nest provider, so the handlers of one API process share its per-stream queue.
 */
@Injectable()
export class StreamCommands extends CommandShell {
  constructor(@Inject(EVENT_STORE) store: EventStore, keys: UserKeysRepository) {
    super({ store, keys });
  }
}
