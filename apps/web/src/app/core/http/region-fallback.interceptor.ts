import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { catchError, throwError } from 'rxjs';
import { Problem } from '../api/api-types';

/**
 * Every price-bearing read carries `region` (DESIGN §10). An API route that does not take it yet
 * answers 400 naming the field (unknown query parameters are refused); the read is then asked once
 * more without it, so a rider still sees the page, with every currency kept apart by the web.
 */
export const regionFallbackInterceptor: HttpInterceptorFn = (request, next) => {
  if (request.method !== 'GET' || !request.params.has('region')) return next(request);
  return next(request).pipe(
    catchError((error: unknown) =>
      refusesRegion(error) ? next(request.clone({ params: request.params.delete('region') })) : throwError(() => error),
    ),
  );
};

function refusesRegion(error: unknown): boolean {
  if (!(error instanceof HttpErrorResponse) || error.status !== 400) return false;
  const problem = error.error as Problem | null;
  return !!problem?.errors?.some((entry) => entry.field === 'region');
}
