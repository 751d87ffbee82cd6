import { Injectable, SetMetadata, UseInterceptors, applyDecorators, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { waitForPosition } from '@mpp/projection-runner';
import { ReadRouting } from '../infrastructure/read-replica/read-database.js';
import { ProjectionChanges } from './answer-cache/projection-changes.js';
import { RequestValidationFailed } from './request-validation.js';

export const READS_PROJECTIONS = 'mpp:reads-projections';
/** Long enough for the projector's normal lag, short enough that a stuck projector never hangs a page. */
export const READ_YOUR_WRITES_WAIT_MS = 2000;

/** The `X-Min-Position` of a request, if it has one; a malformed one is a 400 naming the header. */
export function minPositionOf(req: Request): bigint | undefined {
  const header = req.headers['x-min-position'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !/^\d{1,19}$/.test(header)) throw new RequestValidationFailed([{ field: 'X-Min-Position', message: 'must be a log position (a whole number)' }]);
  return BigInt(header);
}

/**
 * `X-Min-Position: <position>` on a query waits (bounded) until the projections the route reads
 * have reached that position, then answers with `X-Consistent: true|false`. The wait is one
 * promise woken by the projector's commit notices (ProjectionChanges), not a polling loop; without
 * the header the interceptor costs one header lookup.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    private readonly changes: ProjectionChanges,
    private readonly reads: ReadRouting,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const position = minPositionOf(req);
    if (position === undefined) return next.handle();
    const projections = this.reflector.get<string[]>(READS_PROJECTIONS, context.getHandler()) ?? [];
    const res = context.switchToHttp().getResponse<Response>();
    // A replica hears no NOTIFY of the primary's projector, so there the wait reads the replica's own
    // replayed checkpoints; on the primary it is the one promise the commit notices wake. The query
    // then reads the database the wait saw, even should the replica leave or join rotation meanwhile.
    const replica = this.reads.replica();
    const waited = replica
      ? waitForPosition(replica, projections, position, READ_YOUR_WRITES_WAIT_MS)
      : this.changes.waitFor(projections, position, READ_YOUR_WRITES_WAIT_MS).then(({ consistent }) => consistent);
    return from(waited).pipe(
      switchMap((consistent) => {
        res.setHeader('X-Consistent', String(consistent));
        return this.reads.pin(replica ?? this.reads.primary, () => next.handle());
      }),
    );
  }
}

/** Declares the projections a query reads, so X-Min-Position knows what to wait for. */
export const ReadsProjections = (...projections: string[]) =>
  applyDecorators(
    SetMetadata(READS_PROJECTIONS, projections),
    UseInterceptors(ReadYourWritesInterceptor),
    ApiHeader({ name: 'X-Min-Position', required: false, description: 'wait (up to 2 s) until this log position is visible; see X-Consistent' }),
  );
