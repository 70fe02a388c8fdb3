import type { RawEvent, RecordDecoder } from './raw-event';
import { parseTimestamp } from './timestamps';

export const TIME_COLUMN = /^(timestamp|time|date|datetime|ts|time_?stamp)$/i;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Split one CSV line (RFC 4180 quoting; a quoted field cannot span lines).
 *
 * @returns the cells, or null when a quote is not closed
 */
export function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        cell += line.slice(i, q);
        if (line[q + 1] === '"') {
          cell += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      cells.push(cell);
      if (i >= line.length) return cells;
      if (line[i] !== ',') return null;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        cells.push(line.slice(i));
        return cells;
      }
      cells.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** True when the line looks like a header: some cell is neither a number nor a timestamp. */
export function isCsvHeader(cells: readonly string[]): boolean {
  return cells.some((c) => c.trim() !== '' && !NUMBER.test(c.trim()) && parseTimestamp(c.trim()) === undefined);
}

/**
 * CSV metrics (NAB style `timestamp,value[,…]`): one event per data row, in
 * file order (NAB series repeat timestamps; order, not time, is the
 * sequence). The timestamp column is the one named timestamp/time/date/ts,
 * else the first. The event text is the other cells as `name=value`, and
 * the engine reads it with the numbers as they are (numbers are the signal
 * here, so it is not canonicalised); numeric cells become number fields.
 */
export function csvMetricsDecoder(): RecordDecoder {
  let header: string[] | undefined;
  let timeColumn = -1;
  let seenRow = false;
  return {
    kind: 'csv',
    decode(line: string): RawEvent[] | string {
      if (line.trim().length === 0) return [];
      const cells = splitCsvLine(line);
      if (!cells) return 'unterminated quoted field';
      if (!header && !seenRow) {
        if (isCsvHeader(cells)) {
          header = cells.map((c, i) => c.trim() || `col${i + 1}`);
          timeColumn = header.findIndex((h) => TIME_COLUMN.test(h));
          if (timeColumn < 0) timeColumn = 0;
          return [];
        }
        header = cells.map((_, i) => (i === 0 ? 'timestamp' : cells.length === 2 ? 'value' : `value${i}`));
        timeColumn = 0;
      }
      seenRow = true;
      const names = header!;
      if (cells.length !== names.length) return `expected ${names.length} columns, found ${cells.length}`;
      const rawTime = cells[timeColumn]!.trim();
      const timestamp = parseTimestamp(rawTime);
      if (timestamp === undefined) return `column ${names[timeColumn]} is not a timestamp`;
      const fields: Record<string, unknown> = {};
      const parts: string[] = [];
      cells.forEach((c, i) => {
        if (i === timeColumn) return;
        const v = c.trim();
        fields[names[i]!] = NUMBER.test(v) ? Number(v) : v;
        parts.push(`${names[i]}=${v}`);
      });
      return [{ text: parts.join(' '), timestamp, fields, verbatim: true }];
    },
  };
}
