// @mpp/event-store/export: the log as NDJSON, CSV or Parquet (`mpp events export`, and tests that
// read an export as an analyst would). A subpath of its own, so the product never loads the writers.
export { EXPORT_FORMATS, exportEventLog, type EventExportOptions, type EventExportResult, type EventExportRun, type EventExportSource, type ExportFormat } from './export-events.js';
export { dateToMicros, isoToMicros, microsToIso, type Micros } from './instants.js';
export type { ExportedEvent } from './ndjson-sink.js';
