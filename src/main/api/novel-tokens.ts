/**
 * Why a line is new, in words an auditor can check: which of its tokens never
 * occur in the baseline, and which baseline line it most resembles.
 */
import type { Token } from '../../shared/dto';

/** Separators kept as their own (never novel) tokens, so the pieces rejoin to the text. */
const SPLIT = /([\s=:,;()[\]{}"'|]+)/;

export function tokenize(text: string): string[] {
  return text.split(SPLIT).filter((t) => t.length > 0);
}

function isSeparator(token: string): boolean {
  return SPLIT.test(token) && token.replace(SPLIT, '').length === 0;
}

export function vocabulary(lines: readonly string[]): Set<string> {
  const vocab = new Set<string>();
  for (const line of lines) for (const t of tokenize(line)) if (!isSeparator(t)) vocab.add(t);
  return vocab;
}

/** Splits `text` into tokens and marks those absent from `baseline`. Joining the texts gives `text` back. */
export function markNovelTokens(text: string, baseline: ReadonlySet<string>): Token[] {
  return tokenize(text).map((t) => ({ text: t, novel: !isSeparator(t) && !baseline.has(t) }));
}

/** Jaccard similarity of the two lines' word sets, in [0, 1]. */
export function tokenSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The baseline line with the highest token similarity to `text` (first one on ties). */
export function nearestLine<T extends { text: string }>(text: string, candidates: readonly T[]): { line: T; similarity: number } | null {
  const words = vocabulary([text]);
  let best: { line: T; similarity: number } | null = null;
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.text)) continue;
    seen.add(c.text);
    const sim = tokenSimilarity(words, vocabulary([c.text]));
    if (!best || sim > best.similarity) best = { line: c, similarity: sim };
  }
  return best;
}
