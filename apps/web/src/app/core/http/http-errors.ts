import { HttpErrorResponse } from '@angular/common/http';
import { Problem } from '../api/api-types';

export function httpStatusOf(error: unknown): number | null {
  if (error instanceof HttpErrorResponse) return error.status;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof HttpErrorResponse ? cause.status : null;
}

/** A sentence for the rider from an RFC 9457 problem, or a generic one. */
export function describeHttpError(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  const response = error instanceof HttpErrorResponse ? error : null;
  if (!response) return fallback;
  if (response.status === 0) return 'The server could not be reached. Check your connection and try again.';
  // A server-side failure's detail is written for operators (a missing key, an upstream's error): riders get the page's own words.
  if (response.status >= 500) return fallback;
  const problem = response.error as Problem | null;
  const fieldErrors = problem?.errors?.map((entry) => entry.message).join(' ');
  return fieldErrors || problem?.detail || problem?.title || fallback;
}
