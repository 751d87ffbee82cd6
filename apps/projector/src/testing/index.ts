// @mpp/projector/testing: the built projector as a child process and how far its projections are, for
// tests outside the projector (the API's cluster failover, the CLI's deploy against a running projector).
export { buildProjector } from './build-projector.js';
export { generations, headPosition, isCaughtUp, slowestPosition, waitFor, type GenerationRow } from './projection-progress.js';
export { killAllProjectorProcesses, startProjectorProcess, type ProjectorProcess } from './projector-process.js';
