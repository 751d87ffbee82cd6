import { Injectable, SetMetadata, UseInterceptors, applyDecorators, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { defer, from, lastValueFrom, mergeMap, switchMap, type Observable } from 'rxjs';
import { READ_YOUR_WRITES_WAIT_MS, READS_PROJECTIONS, minPositionOf } from '../read-your-writes.interceptor.js';
import { AnswerCache, type CachedAnswer } from './answer-cache.js';
import { bodyFor, encodeAnswer, negotiateEncoding, withEncoding, type Encoding } from './answer-encoding.js';
import { ProjectionChanges } from './projection-changes.js';
import { VersionedAnswer, generationsNamed } from './versioned-answer.js';
import { SESSION_COOKIE } from '../../auth/request-auth.js';
import { ReadRouting } from '../../infrastructure/read-replica/read-database.js';

const FAMILY = 'mpp:answer-family';
const SESSION_COOKIE_PREFIX = `${SESSION_COOKIE}=`;
/**
 * Anonymous readers (who cannot write, so need no read-your-writes) may reuse an answer briefly
 * and keep showing it while revalidating with its ETag; signed-in readers always revalidate.
 */
export const ANONYMOUS_CACHE_CONTROL = 'public, max-age=5, stale-while-revalidate=30';
export const SIGNED_IN_CACHE_CONTROL = 'private, no-cache';

/**
 * A catalog GET whose handler returns a VersionedAnswer: served from the process's answer cache
 * while none of its keys changed (without running pipes, handler or serialisation), with a strong
 * ETag (304 on `If-None-Match`), precompressed br/gzip, and `X-Min-Position` read-your-writes.
 */
@Injectable()
export class CachedAnswerInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: AnswerCache,
    private readonly changes: ProjectionChanges,
    private readonly reads: ReadRouting,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const family = this.reflector.get<string>(FAMILY, context.getHandler());
    const minPosition = minPositionOf(req);
    if (minPosition === undefined) return this.answer(req, res, next, family, this.changes.isFollowing);
    const projections = this.reflector.get<string[]>(READS_PROJECTIONS, context.getHandler()) ?? [];
    return from(this.changes.waitFor(projections, minPosition, READ_YOUR_WRITES_WAIT_MS)).pipe(
      switchMap(({ consistent, synced }) => {
        res.setHeader('X-Consistent', String(consistent));
        return this.answer(req, res, next, family, synced && this.changes.isFollowing);
      }),
    );
  }

  private answer(req: Request, res: Response, next: CallHandler, family: string, useCache: boolean): Observable<unknown> {
    // Express answers HEAD with the GET route; Node leaves the body out.
    if (req.method !== 'GET' && req.method !== 'HEAD') return next.handle();
    const cacheKey = answerCacheKey(req.originalUrl);
    // Sends the answer in the encoding the client asks for, compressing it first if this is the
    // first such reader; a held answer is then held with that body too.
    const send = async (answer: CachedAnswer, held: boolean) => {
      const encoding = negotiateEncoding(req.headers['accept-encoding'], answer);
      const ready = await withEncoding(answer, encoding);
      if (held && ready !== answer) this.cache.addEncodings(cacheKey, ready);
      return sendAnswer(req, res, ready, encoding);
    };
    const held = useCache ? this.cache.get(family, cacheKey, Date.now()) : undefined;
    if (held) return defer(() => send(held, true));
    // The cache follows the primary's commit notices, so what it stores (and what X-Min-Position,
    // waited for on those notices, promises) must be read from the primary: an answer read from a
    // lagging replica after a notice would be stored as current. Hits read no database at all.
    const handled = () => this.reads.pin(this.reads.primary, () => lastValueFrom(next.handle()));
    const encode = (result: VersionedAnswer) => {
      // A rebuilt generation may answer the same version differently: its number is in the tag.
      const generation = generationsNamed(result.label.keys).map((projection) => this.changes.generationOf(projection) ?? 0).join('-') || '0';
      const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
      return encodeAnswer(result, { generation, query: cacheKey, family, route });
    };
    if (!useCache) {
      return defer(handled).pipe(mergeMap(async (result: unknown) => (result instanceof VersionedAnswer ? send(encode(result), false) : result)));
    }
    // What this request's own handler returned when it was no answer to share (not a VersionedAnswer).
    let own: { result: unknown } | undefined;
    const shared = () => this.cache.computeOnce(family, cacheKey, async (mark) => {
      const result = await handled();
      if (!(result instanceof VersionedAnswer)) {
        own = { result };
        return undefined;
      }
      const encoded = encode(result);
      this.cache.store(cacheKey, encoded, mark);
      return encoded;
    });
    return defer(shared).pipe(mergeMap(async (answer) => (answer ? send(answer, true) : own!.result)));
  }
}

/**
 * Headers set here; Express's `send` then writes the bytes as they are, or a 304 when
 * If-None-Match matches the ETag. Nest replies to an object with `res.json`, which would
 * serialise the Buffer again, so this response's `json` sends the prepared bytes instead.
 * The held-answer path (held-answers.ts) sends through here too, so both answer alike.
 * `encoding` is the one negotiated for this request, which the answer must hold (bodyFor).
 */
export function sendAnswer(req: Request, res: Response, answer: CachedAnswer, encoding: Encoding): Buffer {
  const { body, etag } = bodyFor(answer, encoding);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('ETag', etag);
  // Origin too: a shared cache must not hand one origin's CORS answer to another. X-Min-Position
  // too: a read-your-writes request must never be answered by a browser's stale-while-revalidate
  // copy of the same URL fetched before the write.
  res.setHeader('Vary', 'Accept-Encoding, Origin, X-Min-Position');
  res.setHeader('Cache-Control', hasSessionCookie(req) ? SIGNED_IN_CACHE_CONTROL : ANONYMOUS_CACHE_CONTROL);
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.json = () => res.send(body);
  return body;
}

/** Signed-in readers are told apart by their session cookie (its validity does not change the answer). */
export const hasSessionCookie = (req: Request): boolean => req.headers.cookie?.includes(SESSION_COOKIE_PREFIX) ?? false;

/**
 * An answer's key: its path plus the query parameters in a stable order, so `?b=1&a=2` and
 * `?a=2&b=1` share an entry. The path names the route, so no family is needed to tell answers apart.
 */
export function answerCacheKey(originalUrl: string): string {
  const at = originalUrl.indexOf('?');
  if (at < 0) return originalUrl;
  const params = new URLSearchParams(originalUrl.slice(at + 1));
  params.sort();
  return `${originalUrl.slice(0, at)}?${params.toString()}`;
}

/** A catalog GET served through the answer cache; `projections` are what it reads (for X-Min-Position). */
export const ServesCachedAnswer = (family: string, ...projections: string[]) =>
  applyDecorators(
    SetMetadata(FAMILY, family),
    SetMetadata(READS_PROJECTIONS, projections),
    UseInterceptors(CachedAnswerInterceptor),
    ApiHeader({ name: 'X-Min-Position', required: false, description: 'wait (up to 2 s) until this log position is visible; see X-Consistent' }),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of an answer held: 304 while it is current' }),
  );
