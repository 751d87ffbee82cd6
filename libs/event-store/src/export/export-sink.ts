import type { ExportRow } from './export-columns.js';

/** One output format of `mpp events export`: rows arrive page by page, in log order. */
export interface ExportSink {
  write(rows: readonly ExportRow[]): Promise<void>;
  /** Completes the file (a Parquet footer); nothing is written after it. */
  end(): Promise<void>;
}
