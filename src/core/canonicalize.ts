/**
 * Canonical text: volatile tokens replaced by typed placeholders before
 * compression, so two lines that differ only in a timestamp, an id or a number
 * compress as the same line. The caller keeps the original for display.
 *
 * Each rule is a regex with a fixed replacement. Order matters: a JWT or a
 * URL is masked before its parts could be taken for base64 or a path, and
 * timestamps before bare numbers. Rules run as native `String.replace` calls
 * (no per-match callback), guarded by a cheap test where one exists; that
 * keeps canonicalisation well under a microsecond per typical log line.
 */

import { charSet, hasCharRun } from './char-run';

export type PlaceholderType =
  | 'JWT'
  | 'URL'
  | 'EMAIL'
  | 'UUID'
  | 'MAC'
  | 'TS'
  | 'IP'
  | 'HEX'
  | 'B64'
  | 'NUM';

interface MaskRule {
  type: PlaceholderType;
  pattern: RegExp;
  /**
   * Cheap precondition: skip the regex when the line cannot match. It must
   * hold for every line the pattern matches (a necessary condition), so a
   * guard changes the speed, never the output (test/core/canonicalize.test.ts
   * checks this against the rules applied without guards).
   */
  guard?: (line: string) => boolean;
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
// Guard patterns are module constants: a regex literal inside a guard would
// be a new RegExp object on every call.
const DIGIT = /\d/;
const hasDigit = (s: string): boolean => DIGIT.test(s);
const ISO_DATE_START = /\d{4}[-./]\d{2}[-./]\d{2}/;
const HDFS_TIME = /\d{6}\s\d{6}/;

const HEX_DIGITS = charSet(/[0-9a-fA-F]/);
const BASE64_CHARS = charSet(/[A-Za-z0-9+/]/);

/** The line holds at least k occurrences of the characters in `chars`, together (native indexOf steps). */
function atLeast(s: string, chars: string, k: number): boolean {
  for (const c of chars) {
    for (let at = s.indexOf(c); at >= 0; at = s.indexOf(c, at + 1)) if (--k === 0) return true;
  }
  return false;
}

/** The masking rules, in the order they apply. */
export const MASK_RULES: readonly MaskRule[] = [
  {
    type: 'JWT',
    pattern: /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}/g,
    guard: (s) => s.includes('eyJ'),
  },
  {
    type: 'URL',
    pattern: /\b[a-zA-Z][a-zA-Z0-9+.-]{1,15}:\/\/[^\s"'<>()[\]{}]+/g,
    guard: (s) => s.includes('://'),
  },
  {
    type: 'EMAIL',
    pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
    guard: (s) => s.includes('@'),
  },
  {
    type: 'UUID',
    pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g,
    guard: (s) => atLeast(s, '-', 4),
  },
  {
    // MAC addresses (before clock times, which their first three pairs resemble).
    type: 'MAC',
    pattern: /\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b/g,
    guard: (s) => atLeast(s, ':-', 5),
  },
  {
    // ISO 8601 and its relatives: 2005-06-03T15:42:50.675Z, 2005-06-03 15:42:50,
    // BGL's 2005-06-03-15.42.50.675872, and bare dates 2005-06-03 / 2005.06.03.
    type: 'TS',
    pattern:
      /\b\d{4}[-./]\d{2}[-./]\d{2}(?:[T\s-]\d{2}[:.]\d{2}[:.]\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
    guard: (s) => ISO_DATE_START.test(s),
  },
  {
    // Syslog and Apache: "Nov  9 12:01:01", "[Sun Dec 04 04:47:44 2005]".
    type: 'TS',
    pattern: new RegExp(`\\b(?:${DAY}\\s+)?${MONTH}\\s+\\d{1,2}\\s+\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:\\s+\\d{4})?\\b`, 'g'),
    guard: (s) => s.includes(':') && hasDigit(s),
  },
  {
    // HDFS "081109 203530" (yymmdd hhmmss) and bare clock times 12:01:01.123.
    type: 'TS',
    pattern: /\b(?:\d{6}\s\d{6}|\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)\b/g,
    guard: (s) => (s.includes(':') && hasDigit(s)) || HDFS_TIME.test(s),
  },
  {
    type: 'IP',
    pattern: /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g,
    guard: (s) => atLeast(s, '.', 3) && hasDigit(s),
  },
  {
    // IPv6: at least three groups with "::" or seven colons; kept strict so
    // clock times and "a:b" pairs are not taken for addresses.
    type: 'IP',
    pattern:
      /\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b|\b(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5})?\b/g,
    guard: (s) => s.includes('::') || s.split(':').length > 7,
  },
  {
    // 0x-prefixed values, and runs of 8+ hex digits that contain a digit
    // (hashes, ids, addresses) but not plain words like "deadbeef" alone.
    type: 'HEX',
    pattern: /\b0x[0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b/g,
    guard: (s) => s.includes('0x') || hasCharRun(s, HEX_DIGITS, 8),
  },
  {
    // Long base64 runs (keys, payloads): 24+ chars with a digit and both cases.
    type: 'B64',
    pattern: /(?<![A-Za-z0-9+/])(?=[A-Za-z0-9+/]*\d)(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{24,}={0,2}/g,
    guard: (s) => hasCharRun(s, BASE64_CHARS, 24),
  },
  {
    // Numbers: any run of 4+ digits, and shorter runs that stand alone
    // (not glued to letters, as in "R02" or "md5": masking those was
    // measured and lost information, see docs/EVALUATION.md).
    type: 'NUM',
    pattern: /\d{4,}|(?<![A-Za-z0-9])[-+]?\d+(?:\.\d+)?(?![A-Za-z0-9])/g,
    guard: hasDigit,
  },
];

const REPLACEMENTS: readonly string[] = MASK_RULES.map((r) => `<${r.type}>`);

/**
 * Replace volatile tokens by typed placeholders.
 *
 * @param line one event's text (any length; may be empty)
 * @returns the canonical text; unchanged when nothing is volatile
 * @example canonicalize('2005-06-03 user 4711 from 10.0.0.1') // '<TS> user <NUM> from <IP>'
 */
export function canonicalize(line: string): string {
  let out = line;
  for (let i = 0; i < MASK_RULES.length; i++) {
    const rule = MASK_RULES[i]!;
    if (rule.guard && !rule.guard(out)) continue;
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, REPLACEMENTS[i]!);
  }
  return out;
}
