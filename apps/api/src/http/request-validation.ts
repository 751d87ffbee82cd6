import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldProblem } from './problem-details.js';

/**
 * A refusal lists at most this many field problems, plus their total: one per unknown key made a
 * 20,000-key body answer 1.26 MB of errors, and building it blocked the event loop for everyone.
 */
export const MAX_LISTED_PROBLEMS = 20;

/** Thrown by the global ValidationPipe; the problem filter turns it into a 400 naming each field. */
export class RequestValidationFailed extends BadRequestException {
  readonly fieldProblems: FieldProblem[];
  /** How many problems the request had; more than `fieldProblems.length` when the list was cut. */
  readonly problemCount: number;

  constructor(problems: FieldProblem[]) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    super(listed.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.fieldProblems = listed;
    this.problemCount = problems.length;
  }
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Class-validator's checks, then one the DTOs cannot forget: every whole number in a validated
 * input must be exactly representable. `minPrice=9223372036854775808` or `maxPrice=1e308` passed
 * @IsInt and failed inside PostgreSQL as a 500; no field of the API takes a number beyond 2^53.
 */
class ValidationPipeWithNumberRange extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated = await super.transform(value, metadata);
    if (metadata.type === 'custom') return validated;
    const field = unrepresentableNumberAt(validated, metadata.data ?? '');
    if (field !== undefined) throw new RequestValidationFailed([{ field: field || metadata.type, message: `must be a whole number between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}` }]);
    return validated;
  }
}

/** The path of the first whole number that is not a safe integer, or undefined; iterative. */
function unrepresentableNumberAt(input: unknown, root: string): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: input, path: root, depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) return path;
      continue;
    }
    // The request-shape check bounds the depth already; the bound here only keeps the walk finite.
    if (typeof value !== 'object' || value === null || value instanceof Date || Buffer.isBuffer(value) || depth > 64) continue;
    for (const [key, child] of Object.entries(value)) pending.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
  }
  return undefined;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipeWithNumberRange({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Query strings arrive as text; DTOs declare the types they expect and convert explicitly.
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationFailed(flattenValidationErrors(errors)),
  });
}
