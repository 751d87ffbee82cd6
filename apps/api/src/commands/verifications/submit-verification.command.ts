import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { bikeStream, fitmentDecider, fitmentStream, partStream, type SubmitVerification } from '@mpp/domain';
import type { CommandInput } from '@mpp/event-store';
import { StreamCommands } from '../shell/stream-commands.js';
import type { CommandContext } from '../shell/command-context.js';
import type { VerificationCommandResult } from './verification-command-result.js';

export class SubmitVerificationCommand {
  constructor(
    readonly input: CommandInput<SubmitVerification, 'partExists' | 'bikeExists'>,
    readonly context: CommandContext,
  ) {}
}

/**
 * Riders verifying one part+bike at once collide only on the stream revision, never on a decision
 * a client must make, so the handler decides again on fresh state (with jittered back-off) until
 * it gets through; the bound keeps a pathological pile-up from holding a request for ever.
 */
const RETRIES_ON_CONFLICT = 40;

@CommandHandler(SubmitVerificationCommand)
export class SubmitVerificationHandler implements ICommandHandler<SubmitVerificationCommand, VerificationCommandResult> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ input, context }: SubmitVerificationCommand): Promise<VerificationCommandResult> {
    const outcome = await this.streams.execute({
      stream: fitmentStream(input.partId, input.bikeId),
      decider: fitmentDecider,
      facts: () => Promise.all([this.streams.exists(partStream(input.partId)), this.streams.exists(bikeStream(input.bikeId))]),
      command: (_state, _loaded, [partExists, bikeExists]) => ({ type: 'SubmitVerification' as const, ...input, partExists, bikeExists }),
      context,
      retriesOnConflict: RETRIES_ON_CONFLICT,
    });
    const submitted = outcome.events.findIndex((e) => e.type === 'VerificationSubmitted');
    return { verificationId: input.verificationId, eventId: outcome.eventIds[submitted] ?? null, position: Number(outcome.position) };
  }
}
