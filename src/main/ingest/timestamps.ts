/**
 * Epoch ms from a number whose unit is guessed by magnitude: seconds
 * (< 1e11, i.e. before year 5138), milliseconds (< 1e14), microseconds
 * (< 1e17), else nanoseconds. Sub-millisecond parts are cut, never rounded
 * up, as ISO fractions and OTLP nanoseconds are: an instant gets the same
 * millisecond whatever its unit.
 */
export function epochToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  // Decimal seconds are rarely exact in binary (…0.25 s × 1000 can land just under 250): a 1 µs nudge before the cut.
  if (n < 1e11) return Math.floor(n * 1000 + 1e-3);
  if (n < 1e14) return Math.floor(n);
  if (n < 1e17) return Math.floor(n / 1e3);
  return Math.floor(n / 1e6);
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
  if (/^\d+$/.test(value)) {
    // Past 2^53 a double cannot hold every µs or ns count: whole digits are cut as text instead.
    const digits = value.replace(/^0+/, '');
    if (digits.length >= 18 && digits.length <= 20) return positive(Number(digits.slice(0, -6)));
    if (digits.length >= 16 && digits.length <= 17) return positive(Number(digits.slice(0, -3)));
  }
  if (/^\d+(?:\.\d+)?$/.test(value)) return epochToMs(Number(value));
  return parseIsoTimestamp(value);
}

const positive = (ms: number): number | undefined => (ms > 0 ? ms : undefined);

const digit = (c: number): boolean => c >= 48 && c <= 57;

function num(line: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = line.charCodeAt(i);
    if (!digit(c)) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

/**
 * The timestamp a log line starts with (ISO 8601 `YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z|±HH[:]MM]`,
 * optionally in brackets), if any; without a zone, UTC. Parsed by hand:
 * it runs on every line of a text import.
 */
export function leadingTimestamp(line: string): number | undefined {
  const a = line.charCodeAt(0) === 91 ? 1 : 0;
  if (line.length < a + 16) return undefined;
  const sep = line.charCodeAt(a + 10);
  if (line.charCodeAt(a + 4) !== 45 || line.charCodeAt(a + 7) !== 45 || (sep !== 84 && sep !== 32) || line.charCodeAt(a + 13) !== 58) return undefined;
  const y = num(line, a, 4);
  const mo = num(line, a + 5, 2);
  const d = num(line, a + 8, 2);
  const h = num(line, a + 11, 2);
  const mi = num(line, a + 14, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59) return undefined;
  let at = a + 16;
  let sec = 0;
  let ms = 0;
  if (line.charCodeAt(at) === 58) {
    sec = num(line, at + 1, 2);
    if (sec < 0 || sec > 60) return undefined;
    at += 3;
    const c = line.charCodeAt(at);
    if ((c === 46 || c === 44) && digit(line.charCodeAt(at + 1))) {
      at++;
      let scale = 100;
      while (digit(line.charCodeAt(at))) {
        ms += (line.charCodeAt(at) - 48) * scale;
        scale /= 10;
        at++;
      }
      ms = Math.floor(ms);
    }
  }
  let t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  const z = line.charCodeAt(at);
  if (z === 43 || z === 45) {
    const oh = num(line, at + 1, 2);
    const colon = line.charCodeAt(at + 3) === 58 ? 1 : 0;
    const om = num(line, at + 3 + colon, 2);
    if (oh >= 0 && om >= 0 && !digit(line.charCodeAt(at + 5 + colon))) t -= (z === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}
