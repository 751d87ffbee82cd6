import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { fitmentDecider, fitmentStream, type RetractVerification } from '@mpp/domain';
import type { CommandInput } from '@mpp/event-store';
import { StreamCommands } from '../shell/stream-commands.js';
import { VerificationLocator } from './verification-locator.js';
import type { CommandContext } from '../shell/command-context.js';
import type { VerificationCommandResult } from './verification-command-result.js';

export class RetractVerificationCommand {
  constructor(
    readonly input: CommandInput<RetractVerification>,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RetractVerificationCommand)
export class RetractVerificationHandler implements ICommandHandler<RetractVerificationCommand, VerificationCommandResult> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly locator: VerificationLocator,
  ) {}

  async execute({ input, context }: RetractVerificationCommand): Promise<VerificationCommandResult> {
    const { partId, bikeId } = await this.locator.locate(input.verificationId);
    const outcome = await this.streams.execute({
      stream: fitmentStream(partId, bikeId),
      decider: fitmentDecider,
      command: () => ({ type: 'RetractVerification' as const, ...input }),
      context,
      retriesOnConflict: 5,
    });
    return { verificationId: input.verificationId, eventId: outcome.eventIds[0] ?? null, position: Number(outcome.position) };
  }
}
