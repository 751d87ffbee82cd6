// @mpp/projections/testing: the vocabulary of projection tests and a harness over a real database, for every package's tests.
export * from './given-events.js';
export * from './projection-harness.js';
