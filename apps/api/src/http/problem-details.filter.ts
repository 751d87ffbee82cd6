import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problem, type ProblemDetails } from './problem-details.js';
import { RequestValidationFailed } from './request-validation.js';
import { toProblem } from './error-mapping.js';

/**
 * The one place errors become HTTP responses: every error leaves as application/problem+json.
 * Client mistakes get 4xx with what was wrong; anything unexpected is a 500 with no internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body: ProblemDetails = { ...this.describe(exception), instance: request.originalUrl?.split('?')[0] };
    if (body.status >= 500) this.logger.error({ err: exception, status: body.status }, 'request failed');
    if (response.headersSent) return;
    if (typeof body['retryAfter'] === 'number') response.setHeader('Retry-After', String(body['retryAfter']));
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private describe(thrown: unknown): ProblemDetails {
    // A refusal thrown inside the body parser arrives wrapped; it is still a field-level 400.
    const exception = thrown instanceof HttpException && thrown.cause instanceof RequestValidationFailed ? thrown.cause : thrown;
    if (exception instanceof RequestValidationFailed) {
      const listed = exception.fieldProblems.length;
      const cut = exception.problemCount > listed;
      return problem(400, 'validation', cut ? `The request is invalid; errors lists the first ${listed} of ${exception.problemCount} problems.` : 'The request is invalid; see errors.', {
        errors: exception.fieldProblems,
        ...(cut ? { errorCount: exception.problemCount } : {}),
      });
    }
    const mapped = toProblem(exception);
    if (mapped) return mapped;
    // Nest wraps body-parser failures (bad JSON, too large) in an HttpException; the cause says which.
    const bodyError = isBodyParserError(exception) ? exception : exception instanceof HttpException && isBodyParserError(exception.cause) ? exception.cause : undefined;
    if (bodyError) {
      return problem(bodyError.status, bodyError.status === 413 ? 'payload-too-large' : 'malformed-body', bodyParserDetail(bodyError), {
        errors: [{ field: 'body', message: bodyParserDetail(bodyError) }],
      });
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, null, 'Something went wrong on our side.');
  }
}

function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
  return problem(status, null, detail);
}

interface BodyParserError {
  status: number;
  type: string;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const e = error as Partial<BodyParserError> | null;
  return !!e && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string';
}

function bodyParserDetail(error: BodyParserError): string {
  if (error.status === 413) return 'The request body is too large.';
  if (error.type === 'entity.parse.failed') return 'The request body is not valid JSON.';
  return error.message;
}
