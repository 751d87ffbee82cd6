import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetailsSchema } from './problem-details.schema.js';

export const PROBLEM_JSON = 'application/problem+json';

/** What each refusal means on this API; a route may say more with its own description. */
export const PROBLEM_MEANINGS = {
  400: 'the request is invalid (malformed, unknown or wrong-typed parameter or field); `errors` names the fields',
  401: 'not signed in',
  403: 'CSRF token missing or wrong on a mutation, or the role or owner does not allow this',
  404: 'no such resource',
  409: 'conflicts with the current state (a concurrent change, a rule of the domain)',
  410: 'deleted: it cannot be read or changed any more',
  412: 'If-Match names a revision that is no longer current',
  413: 'the request body is over the size limit',
  429: 'too many requests; retry after the seconds in Retry-After',
  503: 'a service this route depends on is unavailable; retry later',
} as const;

export type ProblemStatus = keyof typeof PROBLEM_MEANINGS;

/** The problem+json schema as a response content, for documents built outside decorators. */
export function problemResponse(status: ProblemStatus, description: string = PROBLEM_MEANINGS[status]) {
  return { description, content: { [PROBLEM_JSON]: { schema: { $ref: getSchemaPath(ProblemDetailsSchema) } } } };
}

/**
 * The refusals a route can answer besides the ones every route can (400 and 429, added to every
 * operation by completeOperations) and the ones @Authenticated declares (401, 403). Each is a
 * problem+json body; pass `[status, description]` to say what it means on this route.
 */
export function ApiProblems(...problems: (ProblemStatus | [ProblemStatus, string])[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsSchema),
    ...problems.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, undefined];
      return ApiResponse({ status, ...problemResponse(status, description) });
    }),
  );
}
