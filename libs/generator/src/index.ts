// @mpp/generator: the deterministic scale generator. A realistic event log of any size for the
// product's tests (crash, leases, blue/green, analytics) and for the tools (`npm run generate`, benchmarks).
export { EventStoreNotEmpty, generateIntoStore, type GenerateIntoStoreOptions, type GenerateIntoStoreResult } from './generate-into-store.js';
export { PLAN_KEYS, assertFeasiblePlan, planForEvents, totalEvents, type ScalePlan } from './scale-plan.js';
// The read requests a load run makes against a generated catalog (the soak, the cluster failover test).
export { SEARCH_TERMS, readPaths, type CatalogIds } from './read-requests.js';
