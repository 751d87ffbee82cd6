import type { NextFunction, Request, Response } from 'express';
import type { FieldProblem } from './problem-details.js';
import { RequestValidationFailed } from './request-validation.js';

/** Deeper than any body the API accepts (a catalog import nests 3 levels, a Stripe event about 8). */
export const MAX_BODY_DEPTH = 32;

/** More keys than any object the API accepts has (the widest, a Stripe invoice, has about 80). */
export const MAX_KEYS_PER_OBJECT = 200;

const ENCODED_NUL = /%00/i;
/** In a `u` regular expression a well-formed pair is one code point, so this matches only a lone half. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Refuses, before any handler runs, what no route can use but some would choke on:
 * - a NUL character anywhere (URL or body): PostgreSQL text cannot hold it, so a lookup by such a
 *   slug or a name containing one failed inside the database as a 500;
 * - a lone UTF-16 surrogate in any string (JSON allows "\ud800"): it cannot be encoded as UTF-8, so
 *   hashing a verification note and storing a build name failed as 500s;
 * - a JSON body nested deeper than MAX_BODY_DEPTH: class-transformer and class-validator recurse
 *   once per level, so a few thousand levels overflowed the stack (a 500) on every route with a body;
 * - an object (body or query) with more than MAX_KEYS_PER_OBJECT keys: the ValidationPipe walked
 *   and reported every unknown key, so 8 clients sending 20,000 keys each stalled everyone for
 *   seconds. Counting keys is cheap; it happens before any validator runs.
 * The walk is iterative, so the check itself cannot overflow.
 */
export function rejectUnusableRequests(req: Request, _res: Response, next: NextFunction): void {
  if (ENCODED_NUL.test(req.originalUrl ?? req.url)) {
    return next(new RequestValidationFailed([{ field: 'url', message: 'must not contain a NUL character (%00)' }]));
  }
  const problem = inputProblem(req.query, 'query') ?? inputProblem(req.body, 'body');
  next(problem ? new RequestValidationFailed([problem]) : undefined);
}

function inputProblem(input: unknown, root: string): FieldProblem | undefined {
  const pending: { value: unknown; depth: number; path: string }[] = [{ value: input, depth: 0, path: root }];
  while (pending.length > 0) {
    const { value, depth, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: path, message: 'must not contain a NUL character' };
      if (LONE_SURROGATE.test(value)) return { field: path, message: 'must be well-formed Unicode (it has a lone UTF-16 surrogate)' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return { field: root, message: `must not be nested deeper than ${MAX_BODY_DEPTH} levels` };
    const keys = Object.keys(value);
    if (!Array.isArray(value) && keys.length > MAX_KEYS_PER_OBJECT) {
      return { field: path, message: `has ${keys.length} keys; at most ${MAX_KEYS_PER_OBJECT} are accepted in one object` };
    }
    for (const key of keys) {
      if (key.includes('\u0000')) return { field: path, message: 'keys must not contain a NUL character' };
      if (LONE_SURROGATE.test(key)) return { field: path, message: 'keys must be well-formed Unicode (one has a lone UTF-16 surrogate)' };
      pending.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: `${path}.${key}` });
    }
  }
  return undefined;
}
