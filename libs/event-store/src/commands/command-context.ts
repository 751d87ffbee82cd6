import { randomUUID } from 'node:crypto';

/** Who asked, when, and which request: becomes the metadata of every event the command appends. */
export interface CommandContext {
  /** A user id or `system:<job>`; never an email or a name. */
  actor: string;
  correlationId: string;
  causationId: string;
  /** The command's time; deciders never read a clock. */
  now: Date;
}

/** A scheduled job's command: it is its own cause. */
export function systemContext(job: string, now = new Date()): CommandContext {
  const id = randomUUID();
  return { actor: `system:${job}`, correlationId: id, causationId: id, now };
}

/**
 * What a transport hands a command handler: the domain command without its tag and without the
 * facts the handler finds out itself (`Derived`: does the part exist, the clock), so the edge's
 * command cannot drift from the one the decider takes.
 */
export type CommandInput<Command extends { type: string }, Derived extends keyof Command = never> = Omit<Command, 'type' | Derived>;
