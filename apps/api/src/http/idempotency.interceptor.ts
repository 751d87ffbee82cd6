import { createHash } from 'node:crypto';
import { ConflictException, Inject, Injectable, UnprocessableEntityException, UseInterceptors, applyDecorators, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Response } from 'express';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { catchError, concatMap, from, of, switchMap, type Observable } from 'rxjs';
import type { Knex } from '@mpp/db';
import { KNEX } from '../infrastructure/tokens.js';
import type { AuthenticatedRequest } from '../auth/request-auth.js';

const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{1,128}$/;

/**
 * How long a claim may stay unfinished before a retry may take it over. A process that dies
 * mid-request (SIGKILL, OOM, a lost node) never completes or releases its claim; without a lease
 * every retry of that key would be refused for ever. Taking over is safe because the commands
 * behind @Idempotent derive their ids from the key, so a second run of a command that did append
 * decides nothing new. Comfortably longer than a command runs (conflict retries are bounded).
 */
export const IDEMPOTENCY_CLAIM_LEASE_MS = 10_000;

/**
 * `Idempotency-Key` on a signed-in POST: the first request with a key runs and its response is
 * stored; the same key with the same body returns that response again without running the
 * command; the same key with another body is a 422; a repeat while the first is running is a 409.
 * Keys are scoped to the user, so one rider can never replay another's.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    const userId = req.auth?.user.id;
    if (key === undefined || !userId) return next.handle();
    if (!KEY_PATTERN.test(key)) {
      throw new UnprocessableEntityException('Idempotency-Key must be 1-128 characters of letters, digits, _ - : .');
    }
    const route = `${req.method} ${req.route?.path ?? req.path}`;
    const requestHash = createHash('sha256').update(route).update(JSON.stringify(req.body ?? null)).digest('hex');
    return from(this.claim(userId, key, route, requestHash, res)).pipe(
      switchMap((stored) => {
        if (stored) {
          res.status(stored.status);
          res.setHeader('Idempotent-Replayed', 'true');
          return of(stored.response);
        }
        // Nest applies @HttpCode after the handler, so read the status the route declares.
        const status: number = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
        return next.handle().pipe(
          concatMap(async (body: unknown) => {
            await this.complete(userId, key, status, body);
            return body;
          }),
          catchError(async (error: unknown) => {
            await this.release(userId, key);
            throw error;
          }),
        );
      }),
    );
  }

  /** Returns the stored response of an earlier identical request, or claims the key for this one. */
  private async claim(userId: string, key: string, route: string, requestHash: string, res: Response): Promise<{ status: number; response: unknown } | undefined> {
    const inserted = await this.knex('idempotency_keys')
      .insert({ user_id: userId, key, route, request_hash: requestHash })
      .onConflict(['user_id', 'key'])
      .ignore()
      .returning('key');
    if (inserted.length > 0) return undefined;
    const existing: { request_hash: string; status: number | null; response: unknown; abandoned: boolean } | undefined = await this.knex('idempotency_keys')
      .where({ user_id: userId, key })
      .first(
        'request_hash',
        'status',
        'response',
        this.knex.raw('created_at < now() - make_interval(secs => ?) AS abandoned', [IDEMPOTENCY_CLAIM_LEASE_MS / 1000]),
      );
    if (!existing) return this.claim(userId, key, route, requestHash, res);
    if (existing.request_hash !== requestHash) {
      throw new UnprocessableEntityException('This Idempotency-Key was already used with a different request.');
    }
    if (existing.status === null) {
      if (existing.abandoned && (await this.takeOver(userId, key))) return undefined;
      res.setHeader('Retry-After', '1');
      throw new ConflictException('A request with this Idempotency-Key is still being processed.');
    }
    return { status: existing.status, response: existing.response };
  }

  /** Renews an abandoned claim for this request; false when another retry renewed it first. */
  private async takeOver(userId: string, key: string): Promise<boolean> {
    const renewed = await this.knex('idempotency_keys')
      .where({ user_id: userId, key })
      .whereNull('status')
      .whereRaw('created_at < now() - make_interval(secs => ?)', [IDEMPOTENCY_CLAIM_LEASE_MS / 1000])
      .update({ created_at: this.knex.fn.now() })
      .returning('key');
    return renewed.length > 0;
  }

  private async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    // The first run to finish is the answer every retry gets, also when a takeover ran it twice.
    await this.knex('idempotency_keys')
      .where({ user_id: userId, key })
      .whereNull('status')
      .update({ status, response: JSON.stringify(body ?? null) });
  }

  /** A failed request did not happen: the client may retry it with the same key. */
  private async release(userId: string, key: string): Promise<void> {
    await this.knex('idempotency_keys').where({ user_id: userId, key }).whereNull('status').delete();
  }
}

export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe key; the same key and body return the first response' }),
  );
