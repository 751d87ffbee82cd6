import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { buildDecider, buildStream, type CreateBuild } from '@mpp/domain';
import type { CommandInput } from '@mpp/event-store';
import { StreamCommands } from '../shell/stream-commands.js';
import { CatalogReferences } from './catalog-references.js';
import type { CommandContext } from '../shell/command-context.js';
import type { BuildCommandResult } from './build-command-result.js';

export class CreateBuildCommand {
  constructor(
    readonly input: CommandInput<CreateBuild, 'bikeExists' | 'unknownPartIds'>,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(CreateBuildCommand)
export class CreateBuildHandler implements ICommandHandler<CreateBuildCommand, BuildCommandResult> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly references: CatalogReferences,
  ) {}

  async execute({ input, context }: CreateBuildCommand): Promise<BuildCommandResult> {
    const [bikeExists, unknownPartIds] = await Promise.all([
      this.references.bikeExists(input.bikeId),
      this.references.unknownParts((input.parts ?? []).map((p) => p.partId)),
    ]);
    const outcome = await this.streams.execute({
      stream: buildStream(input.buildId),
      decider: buildDecider,
      command: () => ({ type: 'CreateBuild' as const, ...input, bikeExists, unknownPartIds }),
      context,
    });
    return { id: input.buildId, revision: Number(outcome.revision) + 1, position: Number(outcome.position) };
  }
}
