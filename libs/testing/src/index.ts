export { createTestDatabase, type TestDatabase } from './test-database.js';
export { findFreePort } from './free-port.js';
export { startStreamingReplica, type StreamingReplica } from './streaming-replica.js';
export { editEventMetadata, rewriteChainConsistently } from './tamper-with-log.js';
export { databaseUrlOf } from './database-url-of.js';
