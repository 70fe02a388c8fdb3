import { splitCsvLine, TIME_COLUMN } from './csv-metrics';
import { InputError, readLines } from './line-reader';
import { parseTimestamp } from './timestamps';

/** A metric series read from CSV: the timestamp column as text (and parsed) and every numeric column. */
export interface CsvSeries {
  /** Names of the numeric columns, in file order. */
  names: string[];
  columns: Float64Array[];
  /** The timestamp column verbatim, one per data row ('' when the file has none). */
  timestamps: string[];
  /** Milliseconds since the epoch, when the timestamp parses (naive times read as UTC). */
  times: (number | undefined)[];
}

/**
 * Reads `timestamp,value[,value…]` CSV (a header row, then one row per
 * point, kept in file order: repeated or backward timestamps are data, not
 * errors). The timestamp column is the one named timestamp/time/date/ts
 * (as the importer's CSV decoder); every other column must be numeric.
 * Plain or gzip; RFC 4180 quoting as the importer reads it.
 *
 * @throws InputError naming the file, line and column of the first bad field
 */
export async function readCsvSeries(path: string): Promise<CsvSeries> {
  let header: string[] | undefined;
  let timeColumn = -1;
  const values: number[][] = [];
  const timestamps: string[] = [];
  await readLines(path, (line, index) => {
    if (header === undefined) {
      header = (splitCsvLine(line) ?? [line]).map((h) => h.trim());
      timeColumn = header.findIndex((h) => TIME_COLUMN.test(h));
      if (header.length - (timeColumn >= 0 ? 1 : 0) < 1) throw new InputError(path, 'the header names no value column', index + 1);
      header.forEach((_, c) => c !== timeColumn && values.push([]));
      return;
    }
    if (line.trim() === '') return;
    const fields = splitCsvLine(line);
    if (!fields) throw new InputError(path, 'unterminated quoted field', index + 1);
    if (fields.length !== header.length) {
      throw new InputError(path, `expected ${header.length} fields (${header.join(',')}), got ${fields.length}`, index + 1);
    }
    let v = 0;
    fields.forEach((field, c) => {
      if (c === timeColumn) return;
      const text = field.trim();
      const x = text === '' ? NaN : Number(text);
      if (!Number.isFinite(x)) throw new InputError(path, `column "${header![c]}": "${text}" is not a number`, index + 1);
      values[v++]!.push(x);
    });
    timestamps.push(timeColumn >= 0 ? fields[timeColumn]!.trim() : '');
  });
  if (header === undefined) throw new InputError(path, 'empty file: a CSV series needs a header row');
  const names = header.filter((_, c) => c !== timeColumn);
  return {
    names,
    columns: values.map((col) => Float64Array.from(col)),
    timestamps,
    times: timestamps.map((t) => (t === '' ? undefined : parseTimestamp(t))),
  };
}

/** True when the path names a CSV file (optionally gzipped). */
export function isCsvPath(path: string): boolean {
  return /\.csv(\.gz)?$/i.test(path);
}
