/**
 * A JSON.parse failure as a short reason that quotes none of the input:
 * V8's messages embed a snippet of the line, which may be personal data, and
 * problem reasons are stored in the case file unredacted.
 */
export function jsonParseReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = /at position (\d+)/.exec(msg);
  const what = msg
    .replace(/, ".*$/s, '')
    .replace(/ in JSON at position.*$/s, '')
    .replace(/ is not valid JSON$/, '')
    .slice(0, 60);
  return `invalid JSON: ${what}${pos ? ` at column ${Number(pos[1]) + 1}` : ''}`;
}

/** A JSON line: { value } when it parses, null when blank, or the reason it does not parse. */
export function parseJsonLine(line: string): { value: unknown } | null | string {
  if (line.trim().length === 0) return null;
  try {
    return { value: JSON.parse(line) as unknown };
  } catch (err) {
    return jsonParseReason(err);
  }
}
