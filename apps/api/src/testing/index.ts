// @mpp/api/testing: the real API and projector on a fresh database, for tests outside the API (web, tools).
export { startApiUnderTest, type ApiUnderTest } from './api-under-test.js';
export { startProjectorUnderTest, type ProjectorUnderTest } from './projector-under-test.js';
export { importSmallCatalog } from './catalog-fixture.js';
export { signIn, type SignedIn } from './sign-in.js';
export { IDS } from './small-catalog.js';
