import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { buildDecider, buildStream, type DeleteBuild } from '@mpp/domain';
import type { CommandInput } from '@mpp/event-store';
import { StreamCommands } from '../shell/stream-commands.js';
import type { CommandContext } from '../shell/command-context.js';

export class DeleteBuildCommand {
  constructor(
    // Over HTTP a delete always names the revision it saw (If-Match), though the domain lets it be left out.
    readonly input: CommandInput<DeleteBuild> & { expectedRevision: number },
    readonly context: CommandContext,
  ) {}
}

export interface BuildDeletedResult {
  id: string;
  position: number;
}

/** Owner only, based on a revision (If-Match) like an edit: a build changed meanwhile is not deleted unseen. */
@CommandHandler(DeleteBuildCommand)
export class DeleteBuildHandler implements ICommandHandler<DeleteBuildCommand, BuildDeletedResult> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ input, context }: DeleteBuildCommand): Promise<BuildDeletedResult> {
    const outcome = await this.streams.execute({
      stream: buildStream(input.buildId),
      decider: buildDecider,
      command: () => ({ type: 'DeleteBuild' as const, ...input }),
      context,
    });
    return { id: input.buildId, position: Number(outcome.position) };
  }
}
