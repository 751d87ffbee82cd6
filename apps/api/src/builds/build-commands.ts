import type { BuildPart, BuildVisibility } from '@mpp/domain';
import type { CommandContext } from '../commands/command-context.js';

export class CreateBuildCommand {
  constructor(
    readonly input: { buildId: string; ownerId: string; name: string; bikeId: string; visibility?: BuildVisibility; parts?: BuildPart[] },
    readonly context: CommandContext,
  ) {}
}

export class UpdateBuildCommand {
  constructor(
    readonly input: {
      buildId: string;
      actorId: string;
      expectedRevision: number;
      name?: string;
      bikeId?: string;
      visibility?: BuildVisibility;
      parts?: BuildPart[];
    },
    readonly context: CommandContext,
  ) {}
}

export interface BuildCommandResult {
  id: string;
  /** The build's revision after the command; send it back as If-Match on the next edit. */
  revision: number;
  position: number;
}

export class DeleteBuildCommand {
  constructor(
    readonly input: { buildId: string; actorId: string; expectedRevision: number },
    readonly context: CommandContext,
  ) {}
}
