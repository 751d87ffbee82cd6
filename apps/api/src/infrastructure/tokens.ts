/** Injection tokens for ports and shared infrastructure; providers are bound in the feature modules. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const KNEX = Symbol('KNEX');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CATALOG_SEARCH = Symbol('CATALOG_SEARCH');
