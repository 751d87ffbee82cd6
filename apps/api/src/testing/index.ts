// @mpp/api/testing: the real API and projector on a fresh database, for tests outside the API (web, tools).
export { startApiUnderTest, type ApiUnderTest } from './api-under-test.js';
export { startProjectorUnderTest, type ProjectorUnderTest } from './projector-under-test.js';
