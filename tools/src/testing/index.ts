// @mpp/tools/testing: the scale generator, for the projector's and the API's tests that need a large realistic log.
export { generateIntoStore, type GenerateIntoStoreOptions, type GenerateIntoStoreResult } from '../generate/generate-into-store.js';
export { planForEvents, totalEvents, type ScalePlan } from '../generate/scale-plan.js';
