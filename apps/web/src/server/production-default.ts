/*
 * Imported first by server.ts. Express shows stack traces and absolute paths in its error pages
 * unless NODE_ENV is production, and a deployment that forgets to set it must not leak them: the
 * SSR server is production unless told otherwise (`npm start` and the tests say so).
 */
process.env['NODE_ENV'] ??= 'production';

export {};
