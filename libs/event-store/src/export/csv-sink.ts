import type { ExportColumn, ExportRow, ExportValue } from './export-columns.js';
import type { ExportSink } from './export-sink.js';
import { microsToIso } from './instants.js';
import { writeChunk } from './write-chunk.js';

/** RFC 4180 CSV with a header line; times as ISO-8601 UTC with microseconds, JSON columns as JSON text, absent values empty. */
export function csvSink(out: NodeJS.WritableStream, columns: readonly ExportColumn[]): ExportSink {
  let headerWritten = false;
  return {
    async write(rows) {
      const lines = rows.map((row) => columns.map((column) => csvField(csvText(column, column.valueOf(row)))).join(','));
      if (!headerWritten) {
        lines.unshift(columns.map((column) => column.name).join(','));
        headerWritten = true;
      }
      if (lines.length > 0) await writeChunk(out, `${lines.join('\r\n')}\r\n`);
    },
    async end() {
      if (!headerWritten) await writeChunk(out, `${columns.map((column) => column.name).join(',')}\r\n`);
    },
  };
}

function csvText(column: ExportColumn, value: ExportValue): string {
  if (value === null) return '';
  if (column.kind === 'timestamptz') return microsToIso(value as bigint);
  if (column.kind === 'json') return JSON.stringify(value);
  return String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
