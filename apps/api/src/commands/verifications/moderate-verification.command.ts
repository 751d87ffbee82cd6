import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { fitmentDecider, fitmentStream, type ModerateVerification } from '@mpp/domain';
import type { CommandInput } from '@mpp/event-store';
import { StreamCommands } from '../shell/stream-commands.js';
import { VerificationLocator } from './verification-locator.js';
import type { CommandContext } from '../shell/command-context.js';
import type { VerificationCommandResult } from './verification-command-result.js';

export class ModerateVerificationCommand {
  constructor(
    readonly input: CommandInput<ModerateVerification>,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ModerateVerificationCommand)
export class ModerateVerificationHandler implements ICommandHandler<ModerateVerificationCommand, VerificationCommandResult> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly locator: VerificationLocator,
  ) {}

  async execute({ input, context }: ModerateVerificationCommand): Promise<VerificationCommandResult> {
    const { partId, bikeId } = await this.locator.locate(input.verificationId);
    const outcome = await this.streams.execute({
      stream: fitmentStream(partId, bikeId),
      decider: fitmentDecider,
      command: () => ({ type: 'ModerateVerification' as const, ...input }),
      context,
      retriesOnConflict: 5,
    });
    return { verificationId: input.verificationId, eventId: outcome.eventIds[0] ?? null, position: Number(outcome.position) };
  }
}
