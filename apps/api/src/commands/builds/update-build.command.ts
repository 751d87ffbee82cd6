import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { buildDecider, buildStream, type UpdateBuild } from '@mpp/domain';
import type { CommandInput } from '@mpp/event-store';
import { StreamCommands } from '../shell/stream-commands.js';
import { CatalogReferences } from './catalog-references.js';
import type { CommandContext } from '../shell/command-context.js';
import type { BuildCommandResult } from './build-command-result.js';

export class UpdateBuildCommand {
  constructor(
    readonly input: CommandInput<UpdateBuild, 'bikeExists' | 'unknownPartIds'>,
    readonly context: CommandContext,
  ) {}
}

/**
 * No retry on a concurrent append: the client based its edit on a revision, and only the client
 * can merge its change with someone else's, so the second writer gets 409/412 and nothing is lost.
 */
@CommandHandler(UpdateBuildCommand)
export class UpdateBuildHandler implements ICommandHandler<UpdateBuildCommand, BuildCommandResult> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly references: CatalogReferences,
  ) {}

  async execute({ input, context }: UpdateBuildCommand): Promise<BuildCommandResult> {
    const [bikeExists, unknownPartIds] = await Promise.all([
      input.bikeId ? this.references.bikeExists(input.bikeId) : Promise.resolve(undefined),
      this.references.unknownParts((input.parts ?? []).map((p) => p.partId)),
    ]);
    const outcome = await this.streams.execute({
      stream: buildStream(input.buildId),
      decider: buildDecider,
      command: () => ({ type: 'UpdateBuild' as const, ...input, bikeExists, unknownPartIds }),
      context,
    });
    return { id: input.buildId, revision: Number(outcome.revision) + 1, position: Number(outcome.position) };
  }
}
