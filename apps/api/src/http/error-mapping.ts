import { DomainError, InvalidStateTransition, NotFound, StaleRevision, ValidationFailed, Forbidden, Conflict } from '@mpp/domain';
import { DuplicateEventIds, EventStoreUnavailable, StreamDeleted, WrongExpectedRevision, isPostgresConnectionFailure } from '@mpp/event-store';
import { problem, type ProblemDetails } from './problem-details.js';

const UNDEFINED_TABLE = '42P01';

/** Maps the typed errors of the domain and the ports to problem details, in one place. */
export function toProblem(error: unknown): ProblemDetails | undefined {
  if (error instanceof DomainError) return fromDomainError(error);
  if (error instanceof WrongExpectedRevision) {
    return problem(409, 'concurrent-change', 'Someone else changed this at the same time; reload and try again.', {
      actualRevision: String(error.actual),
    });
  }
  if (error instanceof DuplicateEventIds) return problem(409, 'duplicate-request', 'This request conflicts with one already recorded.');
  // Only an operator deletes an EventStoreDB stream; what it held is gone for good.
  if (error instanceof StreamDeleted) return problem(410, 'deleted', 'This was deleted and cannot be read or changed.');
  // A read model's views exist only once its first generation has caught up with the log (never half
  // filled, docs/projections.md); until then there is nothing to read, only to wait for.
  if ((error as { code?: unknown } | null)?.code === UNDEFINED_TABLE) {
    return problem(503, 'read-models-starting', 'This read model is still catching up with the event log; try again shortly.', { retryAfter: 2 });
  }
  if (error instanceof EventStoreUnavailable || isDatabaseUnavailable(error)) {
    return problem(503, 'unavailable', 'A service we depend on is unavailable; try again shortly.', { retryAfter: 5 });
  }
  return undefined;
}

function fromDomainError(error: DomainError): ProblemDetails {
  if (error instanceof ValidationFailed) {
    return problem(400, 'validation', 'The request is invalid; see errors.', { errors: [...error.errors] });
  }
  if (error instanceof NotFound) return problem(404, 'not-found', `No ${error.entity} with id ${error.id}.`, { entity: error.entity });
  if (error instanceof Forbidden) return problem(403, 'forbidden', 'You may not change this.');
  if (error instanceof StaleRevision) {
    return problem(412, 'stale-revision', `This ${error.entity} is at revision ${error.actual}; your change was based on revision ${error.expected}.`, {
      currentRevision: error.actual,
    });
  }
  if (error instanceof Conflict) return problem(409, 'conflict', error.message, { reason: error.reason, fields: [...error.fields] });
  if (error instanceof InvalidStateTransition) return problem(409, 'invalid-state', error.message);
  return problem(500, null, 'Something went wrong on our side.');
}

/**
 * A knex pool timeout, or any way node-postgres reports a lost or refused connection: some carry a
 * socket code or SQLSTATE, a dropped socket only a message ("Connection terminated unexpectedly").
 */
function isDatabaseUnavailable(error: unknown): boolean {
  if ((error as { name?: unknown } | null)?.name === 'KnexTimeoutError') return true;
  return isPostgresConnectionFailure(error);
}
