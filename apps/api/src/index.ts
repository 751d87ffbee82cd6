export { createApiApp } from './create-api-app.js';
export type { ApiOptions } from './app.module.js';
