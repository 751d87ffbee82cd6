import type { CommandContext } from '../commands/command-context.js';

export class SubmitVerificationCommand {
  constructor(
    readonly input: { verificationId: string; partId: string; bikeId: string; userId: string; fits: boolean; notes?: string },
    readonly context: CommandContext,
  ) {}
}

export class RetractVerificationCommand {
  constructor(
    readonly input: { verificationId: string; userId: string; reason?: string },
    readonly context: CommandContext,
  ) {}
}

export class ModerateVerificationCommand {
  constructor(
    readonly input: { verificationId: string; moderatorId: string; action: 'hide' | 'restore'; reason: string },
    readonly context: CommandContext,
  ) {}
}

/** What every verification command answers: the event it appended (if any) and where it is in the log. */
export interface VerificationCommandResult {
  verificationId: string;
  eventId: string | null;
  position: number;
}
