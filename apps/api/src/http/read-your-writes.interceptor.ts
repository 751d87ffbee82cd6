import { Inject, Injectable, SetMetadata, UseInterceptors, applyDecorators, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import type { Knex } from '@mpp/db';
import { waitForPosition } from '@mpp/projection-runner';
import { READ_DB } from '../infrastructure/read-replica/read-replica.module.js';
import { RequestValidationFailed } from './request-validation.js';

const READS = 'mpp:reads-projections';
/** Long enough for the projector's normal lag, short enough that a stuck projector never hangs a page. */
export const READ_YOUR_WRITES_WAIT_MS = 2000;

/**
 * `X-Min-Position: <position>` on a query waits (bounded) until the projections the route reads
 * have reached that position, then answers with `X-Consistent: true|false`.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    /** The checkpoints of the database the query will read: on a replica, its own replayed ones. */
    @Inject(READ_DB) private readonly knex: Knex,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.header('x-min-position');
    if (header === undefined) return next.handle();
    if (!/^\d{1,19}$/.test(header)) throw new RequestValidationFailed([{ field: 'X-Min-Position', message: 'must be a log position (a whole number)' }]);
    const projections = this.reflector.get<string[]>(READS, context.getHandler()) ?? [];
    const res = context.switchToHttp().getResponse<Response>();
    return from(waitForPosition(this.knex, projections, BigInt(header), READ_YOUR_WRITES_WAIT_MS)).pipe(
      switchMap((consistent) => {
        res.setHeader('X-Consistent', String(consistent));
        return next.handle();
      }),
    );
  }
}

/** Declares the projections a query reads, so X-Min-Position knows what to wait for. */
export const ReadsProjections = (...projections: string[]) =>
  applyDecorators(
    SetMetadata(READS, projections),
    UseInterceptors(ReadYourWritesInterceptor),
    ApiHeader({ name: 'X-Min-Position', required: false, description: 'wait (up to 2 s) until this log position is visible; see X-Consistent' }),
  );
