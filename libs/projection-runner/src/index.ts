export { defineProjection, type BatchHandler, type BatchProjection, type PerEventProjection, type PoisonEventPolicy, type ProjectionContext, type ProjectionDefinition, type ProjectionHandler } from './projection.js';
export { ProjectionRunner, requestRebuild, type RunnerLogger, type RunnerOptions } from './projection-runner.js';
export { runProjectionWorker, type Until, type WorkerOptions, type WorkerOutcome, type WorkerProgress } from './projection-worker.js';
export { projectionStatuses, type GenerationStatus, type ProjectionStatus } from './projection-status.js';
export { waitForPosition } from './wait-for-position.js';
export { listGenerations, findGeneration, createGeneration, type Generation } from './checkpoints.js';
export { ensureTables, dropSchema, generationSchema, qualify } from './projection-schema.js';
export { ProjectionHandlerFailed } from './apply-batch.js';
export { replayIntoSchema, type ReplayOptions } from './replay-into-schema.js';
