import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import type { EventColumnKind } from '@mpp/domain';
import type { ExportColumn, ExportValue } from './export-columns.js';
import type { ExportSink } from './export-sink.js';
import { writeChunk } from './write-chunk.js';

/** Rows per row group: large enough for good compression, small enough to hold in memory. */
const ROW_GROUP_ROWS = 10_000;

const PARQUET_TYPES: Record<EventColumnKind, Omit<SchemaElement, 'name'>> = {
  bigint: { type: 'INT64' },
  integer: { type: 'INT32' },
  double: { type: 'DOUBLE' },
  boolean: { type: 'BOOLEAN' },
  text: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  json: { type: 'BYTE_ARRAY', converted_type: 'JSON' },
  uuid: { type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, logical_type: { type: 'UUID' } },
  timestamptz: { type: 'INT64', converted_type: 'TIMESTAMP_MICROS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
};

/** The Parquet schema of an export: one typed leaf column per export column. */
export function parquetSchemaOf(columns: readonly ExportColumn[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map((column): SchemaElement => ({ name: column.name, ...PARQUET_TYPES[column.kind], repetition_type: column.nullable ? 'OPTIONAL' : 'REQUIRED' })),
  ];
}

/**
 * Parquet written as it goes (hyparquet-writer): rows are kept per column until a row group is
 * full, each row group goes to `out` when written, and the footer at the end. Memory holds one row group.
 */
export function parquetSink(out: NodeJS.WritableStream, columns: readonly ExportColumn[]): ExportSink {
  const writer = streamingByteWriter(out);
  const parquet = new ParquetWriter({ writer, schema: parquetSchemaOf(columns), createdBy: 'mpp events export (hyparquet-writer)' });
  let pending: ExportValue[][] = columns.map(() => []);
  let pendingRows = 0;

  async function writeRowGroup(): Promise<void> {
    if (pendingRows === 0) return;
    const columnData: ColumnSource[] = columns.map((column, i) => ({ name: column.name, data: pending[i] as ColumnSource['data'] }));
    pending = columns.map(() => []);
    const rows = pendingRows;
    pendingRows = 0;
    await parquet.write({ columnData, rowGroupSize: rows });
  }

  return {
    async write(rows) {
      for (const row of rows) {
        columns.forEach((column, i) => pending[i]!.push(column.valueOf(row)));
      }
      pendingRows += rows.length;
      if (pendingRows >= ROW_GROUP_ROWS) await writeRowGroup();
    },
    async end() {
      await writeRowGroup();
      await parquet.finish();
    },
  };
}

/** hyparquet-writer's buffer, emptied into `out` after each row group and at the end (with backpressure). */
function streamingByteWriter(out: NodeJS.WritableStream): ByteWriter {
  const writer = new ByteWriter(1 << 20);
  const drain = async (): Promise<void> => {
    if (writer.index === 0) return;
    const chunk = new Uint8Array(writer.buffer.slice(0, writer.index));
    writer.index = 0;
    await writeChunk(out, chunk);
  };
  return Object.assign(writer, { flush: drain, finish: drain });
}
