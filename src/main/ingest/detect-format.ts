import { extname } from 'node:path';
import type { SourceKind } from '../../shared/case-types';
import { isCsvHeader, splitCsvLine } from './csv-metrics';
import { otlpSignalOf } from '../otlp/otlp-codec';
import { parseTimestamp } from './timestamps';

const SAMPLE_LINES = 20;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function csvLike(lines: readonly string[]): boolean {
  const rows = lines.map(splitCsvLine);
  if (rows.some((r) => !r || r.length < 2)) return false;
  const width = rows[0]!.length;
  if (rows.some((r) => r!.length !== width)) return false;
  const data = isCsvHeader(rows[0]!) ? rows.slice(1) : rows;
  if (data.length === 0) return false;
  return data.every((r) => parseTimestamp(r![0]!.trim()) !== undefined && r!.slice(1).some((c) => NUMBER.test(c.trim())));
}

/**
 * The record format of a decoded sample (the first KiBs of the file): by
 * content first (JSON objects, OTLP export requests, timestamped numeric
 * CSV), by file extension when the content does not say, else plain text.
 *
 * @param sample decoded text; its last line may be cut
 * @param path used for the extension only (compression suffixes are skipped)
 */
export function detectFormat(sample: string, path: string): SourceKind {
  const all = sample.split('\n');
  if (all.length > 1) all.pop(); // possibly cut
  const lines = all.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim().length > 0).slice(0, SAMPLE_LINES);
  if ((lines.length === 0 || !sample.includes('\n')) && /^\s*\{/.test(sample)) {
    // One long JSON line (a big OTLP export request) cut by the sample.
    return /^\s*\{\s*"resource(?:Logs|Spans|Metrics)"/.test(sample) ? 'otlp-json' : 'jsonl';
  }
  if (lines.length > 0) {
    let objects = 0;
    let otlp = 0;
    for (const l of lines) {
      if (!l.trimStart().startsWith('{')) continue;
      try {
        const v = JSON.parse(l) as unknown;
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
          objects++;
          if (otlpSignalOf(v)) otlp++;
        }
      } catch {
        // a broken line among JSON lines is still JSON lines
      }
    }
    if (objects * 2 >= lines.length) return otlp * 2 >= objects ? 'otlp-json' : 'jsonl';
    if (csvLike(lines)) return 'csv';
  }
  const ext = extname(path.replace(/\.(gz|zst|zstd|lz4)$/i, '')).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  if (ext === '.csv') return 'csv';
  return 'text';
}
