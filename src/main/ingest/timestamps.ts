/**
 * Epoch milliseconds from a number whose unit is guessed by magnitude:
 * seconds (< 1e11, i.e. before year 5138), milliseconds (< 1e14),
 * microseconds (< 1e17), else nanoseconds.
 */
export function epochToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (n < 1e11) return Math.round(n * 1000);
  if (n < 1e14) return Math.round(n);
  if (n < 1e17) return Math.round(n / 1e3);
  return Math.round(n / 1e6);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch milliseconds from an ISO 8601 / RFC 3339 date-time, with a space or
 * T between date and time. A time without zone is taken as UTC (never the
 * machine's local zone: results must not depend on where they are computed).
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    return undefined;
  }
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isFinite(ms) ? ms : undefined;
}

/** Epoch ms from a JSON value: a number or numeric string (unit by magnitude), or an ISO string. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return epochToMs(Number(value));
  return parseIsoTimestamp(value);
}

const LEADING_ISO = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)/;

/** The timestamp a log line starts with (ISO 8601, optionally in brackets), if any. */
export function leadingTimestamp(line: string): number | undefined {
  const c = line.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 91)) return undefined;
  const m = LEADING_ISO.exec(line);
  return m ? parseIsoTimestamp(m[1]!) : undefined;
}

/** Epoch ms from OTLP's uint64 nanoseconds (a decimal string in OTLP/JSON, or a number). */
export function nanosToMs(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 0 ? Math.round(value / 1e6) : undefined;
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value) || /^0+$/.test(value)) return undefined;
  return Number(BigInt(value) / 1_000_000n);
}
