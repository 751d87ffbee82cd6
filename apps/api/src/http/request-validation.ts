import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
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

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Query strings arrive as text; DTOs declare the types they expect and convert explicitly.
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationFailed(flattenValidationErrors(errors)),
  });
}
