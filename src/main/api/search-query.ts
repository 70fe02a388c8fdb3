/**
 * What a person types in the search box, made safe for SQLite FTS5: every
 * word or "quoted phrase" becomes a quoted FTS5 string (so `-`, `:`, `(` and
 * keywords like NEAR or OR are text, not syntax), a trailing * keeps prefix
 * search, and all terms must match. Highlights are found in the text the
 * same way: case-insensitive, prefix terms to the end of the word.
 */

interface Term {
  text: string;
  prefix: boolean;
}

export function searchTerms(input: string): Term[] {
  const terms: Term[] = [];
  const re = /"([^"]*)"(\*?)|(\S+)/g;
  for (const m of input.matchAll(re)) {
    let text = (m[1] ?? m[3] ?? '').trim();
    let prefix = m[2] === '*';
    if (m[3] !== undefined && text.endsWith('*')) {
      text = text.replace(/\*+$/, '');
      prefix = true;
    }
    text = text.replace(/"/g, '');
    if (/[\p{L}\p{N}]/u.test(text)) terms.push({ text, prefix });
  }
  return terms;
}

/** The FTS5 MATCH expression for `input`, or null when it has no searchable word. */
export function ftsQuery(input: string): string | null {
  const terms = searchTerms(input);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.text}"${t.prefix ? '*' : ''}`).join(' AND ');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** [start, end) ranges of the terms of `input` in `text`, sorted, not overlapping. */
export function highlightTerms(text: string, input: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const t of searchTerms(input)) {
    const re = new RegExp(`${escapeRegex(t.text)}${t.prefix ? '[\\p{L}\\p{N}_]*' : ''}`, 'giu');
    for (const m of text.matchAll(re)) if (m[0].length > 0) ranges.push([m.index, m.index + m[0].length]);
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
