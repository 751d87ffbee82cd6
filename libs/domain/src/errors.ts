/**
 * Every rule the domain enforces fails with one of these classes. The HTTP edge maps them once,
 * by `code` (or `instanceof`), to problem+json:
 *
 * | class                  | code                     | HTTP      |
 * |------------------------|--------------------------|-----------|
 * | ValidationFailed       | validation_failed        | 400       |
 * | NotFound               | not_found                | 404       |
 * | Forbidden              | forbidden                | 403       |
 * | Conflict               | conflict                 | 409       |
 * | StaleRevision          | stale_revision           | 409 / 412 |
 * | InvalidStateTransition | invalid_state_transition | 409       |
 * | InvalidEvent           | invalid_event            | 500 (a stored event the code cannot read) |
 */

export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'stale_revision'
  | 'invalid_state_transition'
  | 'invalid_event';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldError {
  /** Dotted path of the offending field in the command, e.g. `parts.2.quantity`. */
  field: string;
  message: string;
}

export class ValidationFailed extends DomainError {
  readonly code = 'validation_failed';
  readonly errors: readonly FieldError[];

  constructor(field: string, message: string, more: readonly FieldError[] = []) {
    super(`${field}: ${message}`);
    this.errors = [{ field, message }, ...more];
  }

  /** The first offending field; `errors` lists all of them. */
  get field(): string {
    return this.errors[0]!.field;
  }

  static of(errors: readonly FieldError[]): ValidationFailed {
    const [first, ...rest] = errors;
    if (!first) throw new RangeError('ValidationFailed needs at least one field error');
    return new ValidationFailed(first.field, first.message, rest);
  }
}

export type EntityKind = 'bike' | 'part' | 'retailer' | 'fitment' | 'verification' | 'build';

export class NotFound extends DomainError {
  readonly code = 'not_found';

  constructor(
    readonly entity: EntityKind,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

export class Forbidden extends DomainError {
  readonly code = 'forbidden';

  constructor(
    readonly actorId: string,
    readonly action: string,
  ) {
    super(`${actorId} may not ${action}`);
  }
}

export class Conflict extends DomainError {
  readonly code = 'conflict';

  constructor(
    readonly reason: string,
    message: string,
    /** Fields whose values disagree with what is already recorded, when that is the cause. */
    readonly fields: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The client edited a revision of an aggregate that is no longer the current one (lost-update guard). */
export class StaleRevision extends DomainError {
  readonly code = 'stale_revision';

  constructor(
    readonly entity: EntityKind,
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${entity} ${id} is at revision ${actual}, the change was based on revision ${expected}`);
  }
}

export class InvalidStateTransition extends DomainError {
  readonly code = 'invalid_state_transition';

  constructor(
    readonly entity: EntityKind,
    readonly id: string,
    readonly from: string,
    readonly action: string,
  ) {
    super(`cannot ${action} ${entity} ${id}: it is ${from}`);
  }
}

/** A stored event whose type is unknown or whose data does not match its schema. */
export class InvalidEvent extends DomainError {
  readonly code = 'invalid_event';

  constructor(
    readonly eventType: string,
    readonly issues: readonly FieldError[],
  ) {
    super(`invalid ${eventType} event: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`);
  }
}
