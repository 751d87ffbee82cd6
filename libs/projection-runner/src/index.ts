export { batchHandlerOf, bulkFormOf, eventTypesOf, defineProjection, type BatchHandler, type ConsumerKind, type BatchProjection, type PerEventProjection, type PoisonEventPolicy, type ProjectionContext, type ProjectionDefinition, type ProjectionHandler } from './projection.js';
export { ProjectionRunner, requestRebuild, type RunnerLogger, type RunnerOptions } from './projection-runner.js';
export { DEFAULT_BATCH_SIZE, runProjectionWorker, type Until, type WorkerOptions, type WorkerOutcome, type WorkerProgress } from './projection-worker.js';
export { projectionStatuses, type GenerationStatus, type ProjectionStatus } from './projection-status.js';
export { waitForPosition } from './wait-for-position.js';
export { listGenerations, findGeneration, createGeneration, type Generation } from './checkpoints.js';
export { ensureTables, dropSchema, generationSchema, qualify } from './projection-schema.js';
export { contextFor, ProjectionHandlerFailed } from './apply-batch.js';
export { replayIntoSchema, type ReplayOptions } from './replay-into-schema.js';
export { SharedLogReader } from './shared-log-reader.js';
export { untilOf } from './until-of.js';
// What a build holds, independent of row order and generation number: crash, lease and soak runs compare builds by it,
// and name the rows that differ when they do.
export { generationSchemas, readModelChecksums, schemaChecksums } from './serving-checksums.js';
export { differingRows, readModelDifferences, type ReadModelDifference } from './serving-differences.js';
export { alignCheckpointsWithEventStore, type CheckpointAlignment } from './event-store-kind.js';
export { given, runProjectionSpec, specEvent, recordedEventsOf, type ProjectionSpec, type SpecEvent, type SpecResult } from './projection-spec.js';
export { loadProjectionModule, ProjectionModuleInvalid, type ProjectionModule } from './load-projection-module.js';
export { DeploymentNeedsNewVersion, knownProjections, listDeployments, recordDeployment, sourceDigest, type ProjectionDeployment, type ProjectionRef } from './deployed-projections.js';
export { PROJECTION_PROGRESS_CHANNEL, notifyProjectionProgress, parseProjectionProgress, type ProjectionProgress } from './notify-progress.js';
export * from './leases/index.js';
export { startOfNewGeneration } from './new-generation-start.js';
export { RetryLater } from './retry-later.js';
