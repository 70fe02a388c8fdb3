/**
 * The redaction policy: which kinds of personal data are removed at the door,
 * and how. Declared here because the app shows and edits policies and every
 * analysis records the policy it ran under.
 */

/** Built-in detectors. */
export const PII_KINDS = ['email', 'ipv4', 'ipv6', 'card', 'iban', 'phone', 'jwt', 'secret'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/**
 * - `mask`: the value becomes a typed placeholder, e.g. `<EMAIL>`.
 * - `pseudonymise`: a keyed HMAC-SHA256 pseudonym, e.g. `<EMAIL:kqzvmwpaxrtb>`;
 *   equal values get equal pseudonyms within a case, so repetition (and
 *   therefore the compression structure) survives.
 * - `drop`: the whole event is not stored (it is counted on the source).
 */
export const REDACTION_MODES = ['mask', 'pseudonymise', 'drop'] as const;
export type RedactionMode = (typeof REDACTION_MODES)[number];

export interface BuiltinRedactionRule {
  kind: PiiKind;
  mode: RedactionMode;
}

/** A user rule: every match of `pattern` is handled like a built-in value. */
export interface RegexRedactionRule {
  kind: 'regex';
  /** Names the rule in counts and placeholders (`<NAME>`); letters, digits, `_`, `-`. */
  name: string;
  /** JavaScript regular expression source. */
  pattern: string;
  /** Extra flags (`i`, `u`, `m`, `s`); `g` is always on. */
  flags?: string;
  mode: RedactionMode;
}

export type RedactionRule = BuiltinRedactionRule | RegexRedactionRule;

export interface RedactionPolicy {
  name: string;
  /** Applied in order: user regex rules first, then the built-ins in a fixed order. */
  rules: RedactionRule[];
}

/** Matches per rule name (built-in kind or the regex rule's name). */
export type RedactionCounts = Record<string, number>;
