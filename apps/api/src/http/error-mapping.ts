import type { ProblemDetails } from './problem-details.js';

/** Maps the typed errors of the domain and the ports to problem details, in one place. */
export function toProblem(_error: unknown): ProblemDetails | undefined {
  return undefined;
}
