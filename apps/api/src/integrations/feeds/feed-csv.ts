/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes (a quote inside doubled), CRLF
 * or LF line ends. The first line names the columns; returns one record per later non-empty line.
 */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const lines = parseCsv(text.replace(/^\uFEFF/, ''));
  const [header, ...body] = lines;
  if (!header) return [];
  const columns = header.map((name) => name.trim());
  return body
    .filter((fields) => !(fields.length === 1 && fields[0]!.trim() === ''))
    .map((fields) => Object.fromEntries(columns.map((column, i) => [column, fields[i] ?? ''])));
}

export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new CsvFormatError(`a quote inside an unquoted field on line ${rows.length + 1}`);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) throw new CsvFormatError('a quoted field is not closed');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
