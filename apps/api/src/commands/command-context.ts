import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { CURRENT_SCHEMA_VERSION } from '@mpp/domain';
import type { EventMetadata } from '@mpp/event-store';

/** Who asked, when, and which request: becomes the metadata of every event the command appends. */
export interface CommandContext {
  /** A user id or `system:<job>`; never an email or a name. */
  actor: string;
  correlationId: string;
  causationId: string;
  /** The command's time; deciders never read a clock. */
  now: Date;
}

const REQUEST_ID = /^[A-Za-z0-9_\-:.]{1,100}$/;

export function commandContextFrom(req: Request, actor: string): CommandContext {
  const given = req.header('x-request-id');
  const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
  const correlation = req.header('x-correlation-id');
  return {
    actor,
    correlationId: correlation && REQUEST_ID.test(correlation) ? correlation : requestId,
    causationId: requestId,
    now: new Date(),
  };
}

export function systemContext(job: string, now = new Date()): CommandContext {
  const id = randomUUID();
  return { actor: `system:${job}`, correlationId: id, causationId: id, now };
}

/** The metadata every event of this command carries (DESIGN §3), for appends outside StreamCommands. */
export function eventMetadataFrom(context: CommandContext): EventMetadata {
  return {
    correlationId: context.correlationId,
    causationId: context.causationId,
    actor: context.actor,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    occurredAt: context.now.toISOString(),
  };
}
