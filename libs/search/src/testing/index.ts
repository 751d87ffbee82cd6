/** What tests of other packages use to exercise the search adapters (TypeScript sources, never built). */
export { startMeilisearchWireRecorder, type MeilisearchErrorBody, type MeilisearchWireRecorder, type RecordedRequest } from '../meilisearch/testing/meilisearch-wire-recorder.js';
export { FIXTURE_DOCUMENTS } from './fixture-catalog.js';
