export { createTestDatabase, type TestDatabase } from './test-database.js';
export { findFreePort } from './free-port.js';
export { startStreamingReplica, type StreamingReplica } from './streaming-replica.js';
