import type { ErrorRequestHandler, RequestHandler } from 'express';
import { STATUS_CODES } from 'node:http';

/** The methods the site answers itself; everything else reaches the API through the proxy or is refused. */
const PAGE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * TRACE, PUT, DELETE... to a page are 405 with `Allow`, before the Angular engine, which failed on
 * them with a 500 (and, without an error handler, a stack trace with absolute paths).
 */
export const refuseUnsupportedMethods: RequestHandler = (req, res, next) => {
  if (PAGE_METHODS.has(req.method)) return next();
  res.status(405).set('Allow', 'GET, HEAD, OPTIONS').type('text/plain').send('Method Not Allowed');
};

/**
 * The last handler: a plain status line as text, never a stack or a path. A client error keeps
 * its 4xx status (e.g. a malformed URL is 400); anything else is a 500, logged as one JSON line.
 */
export const answerErrorsPlainly: ErrorRequestHandler = (error: { status?: unknown; statusCode?: unknown; message?: unknown }, req, res, next) => {
  if (res.headersSent) return next(error);
  // The client left before the page was ready (it navigated on, or gave up): the render was aborted
  // with it. Nobody is there to answer, and it is not a failure of this server: logged as an error,
  // every rider who taps away mid-render would bury the real ones.
  if (res.destroyed || req.socket.destroyed) {
    console.log(JSON.stringify({ level: 'info', msg: 'request abandoned by the client', method: req.method, path: req.path }));
    return;
  }
  // A URL that does not decode (e.g. `%E0%A4%A`) is the client's mistake wherever it is decoded.
  const status = error instanceof URIError ? 400 : Number(error?.status ?? error?.statusCode);
  const clientError = Number.isInteger(status) && status >= 400 && status < 500;
  if (!clientError) {
    console.error(JSON.stringify({ level: 'error', msg: 'request failed', method: req.method, path: req.path, error: String(error?.message ?? error) }));
  }
  const answered = clientError ? status : 500;
  res.status(answered).type('text/plain').send(STATUS_CODES[answered] ?? 'Error');
};
