import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { CommandContext } from '@mpp/event-store';

export { systemContext, type CommandContext } from '@mpp/event-store';

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
