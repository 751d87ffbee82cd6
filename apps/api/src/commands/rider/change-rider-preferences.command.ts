import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { NotFound, bikeStream, riderDecider, riderStream, type ChangeRiderPreferences } from '@mpp/domain';
import type { CommandInput } from '@mpp/event-store';
import type { CommandContext } from '../shell/command-context.js';
import { StreamCommands } from '../shell/stream-commands.js';

export class ChangeRiderPreferencesCommand {
  constructor(
    readonly input: CommandInput<ChangeRiderPreferences>,
    readonly context: CommandContext,
  ) {}
}

/** Only the account's owner writes its stream, so a concurrent change is just decided again. */
@CommandHandler(ChangeRiderPreferencesCommand)
export class ChangeRiderPreferencesHandler implements ICommandHandler<ChangeRiderPreferencesCommand, { position: number }> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ input, context }: ChangeRiderPreferencesCommand): Promise<{ position: number }> {
    if (input.garageBikeId && !(await this.streams.exists(bikeStream(input.garageBikeId)))) throw new NotFound('bike', input.garageBikeId);
    const outcome = await this.streams.execute({
      stream: riderStream(input.userId),
      decider: riderDecider,
      command: () => ({ type: 'ChangeRiderPreferences' as const, ...input }),
      context,
      retriesOnConflict: 3,
    });
    return { position: Number(outcome.position) };
  }
}
