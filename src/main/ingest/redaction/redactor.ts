import { setOwnField } from '../../../shared/own-field';
import type { RedactionCounts, RedactionMode, RedactionPolicy } from '../../../shared/redaction-policy';
import { DETECTORS, SECRET_FIELD, type Found } from './detectors';
import { Pseudonymizer } from './pseudonym';

interface Step {
  /** Counts key and placeholder source: the PII kind or the regex rule's name. */
  name: string;
  placeholder: string;
  mode: RedactionMode;
  guard?: (text: string) => boolean;
  pattern: RegExp;
  confirm: (match: string, groups: readonly (string | undefined)[]) => Found | null;
  /** Pseudonyms of these values ignore case (emails, IPv6). */
  foldCase: boolean;
}

/** Thrown inside String.replace to stop at the first value of a `drop` rule. */
const DROP = Symbol('drop');

/**
 * Short field values are remembered with their result: structured fields
 * repeat a few values (service names, routes, levels) millions of times. Redaction is
 * a pure function of the text for a given policy and key (pseudonyms are
 * keyed HMACs), so a remembered result is the result; its rule counts are
 * replayed on every use.
 */
const MEMO_MAX_LENGTH = 128;
const MEMO_MAX_ENTRIES = 8192;

/**
 * Applies a redaction policy to text and structured fields before anything
 * is stored. One instance per import: it keeps running counts per rule.
 */
export class Redactor {
  private readonly steps: Step[];
  private readonly secretStep: Step | undefined;
  private readonly pseudonyms: Pseudonymizer;
  /** Matches per rule so far (running totals). */
  readonly counts: RedactionCounts;
  private readonly memo = new Map<string, { out: string | null; counted: string[] }>();
  private readonly secretKeys = new Map<string, boolean>();
  /** Rule names counted by the redaction in progress (for the memo). */
  private counting: string[] | undefined;

  constructor(
    readonly policy: RedactionPolicy,
    key: Uint8Array,
    initialCounts: RedactionCounts = {},
  ) {
    this.pseudonyms = new Pseudonymizer(key);
    this.counts = { ...initialCounts };
    const steps: Step[] = [];
    for (const rule of policy.rules) {
      if (rule.kind !== 'regex') continue;
      steps.push({
        name: rule.name,
        placeholder: rule.name.toUpperCase().replace(/-/g, '_'),
        mode: rule.mode,
        pattern: new RegExp(rule.pattern, `g${rule.flags ?? ''}`),
        confirm: (m) => (m.length > 0 ? { before: '', value: m, after: '' } : null),
        foldCase: false,
      });
    }
    for (const d of DETECTORS) {
      const rule = policy.rules.find((r) => r.kind === d.kind);
      if (!rule) continue;
      steps.push({
        name: d.kind,
        placeholder: d.kind.toUpperCase(),
        mode: rule.mode,
        guard: d.guard,
        pattern: new RegExp(d.pattern.source, d.pattern.flags),
        confirm: d.confirm,
        foldCase: d.kind === 'email' || d.kind === 'ipv6',
      });
    }
    this.steps = steps;
    this.secretStep = steps.find((s) => s.name === 'secret');
  }

  get active(): boolean {
    return this.steps.length > 0;
  }

  private replacement(step: Step, value: string): string {
    if (step.mode === 'pseudonymise') {
      const v = step.foldCase ? value.toLowerCase() : value;
      return `<${step.placeholder}:${this.pseudonyms.pseudonym(step.name, v)}>`;
    }
    return `<${step.placeholder}>`;
  }

  private count(name: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    this.counting?.push(name);
  }

  /**
   * The text with every value the policy names replaced.
   *
   * @returns null when a `drop` rule matched: the event must not be stored
   */
  redactText(text: string): string | null {
    let out = text;
    for (const step of this.steps) {
      if (step.guard && !step.guard(out)) continue;
      step.pattern.lastIndex = 0;
      if (!step.pattern.test(out)) continue;
      step.pattern.lastIndex = 0;
      try {
        out = out.replace(step.pattern, (match: string, ...rest: unknown[]) => {
          // rest = groups..., offset, whole string[, named groups object]
          const end = typeof rest[rest.length - 1] === 'object' && rest[rest.length - 1] !== null ? -3 : -2;
          const groups = rest.slice(0, end) as (string | undefined)[];
          const found = step.confirm(match, groups);
          if (!found) return match;
          this.count(step.name);
          if (step.mode === 'drop') throw DROP;
          return `${found.before}${this.replacement(step, found.value)}${found.after}`;
        });
      } catch (err) {
        if (err === DROP) return null;
        throw err;
      }
    }
    return out;
  }

  /** A field value redacted like text, through the memo when it is short. */
  private redactValue(value: string): string | null {
    if (value.length > MEMO_MAX_LENGTH) return this.redactText(value);
    const known = this.memo.get(value);
    if (known) {
      for (const name of known.counted) this.count(name);
      return known.out;
    }
    const counted: string[] = [];
    this.counting = counted;
    let out: string | null;
    try {
      out = this.redactText(value);
    } finally {
      this.counting = undefined;
    }
    if (this.memo.size >= MEMO_MAX_ENTRIES) this.memo.clear();
    this.memo.set(value, { out, counted });
    return out;
  }

  /**
   * Structured fields with every string value redacted, and the whole value
   * of secret-named keys (password, token, authorization, ...) replaced.
   *
   * @returns null when a `drop` rule matched
   */
  redactFields(fields: Record<string, unknown>): Record<string, unknown> | null {
    if (!this.active) return fields;
    try {
      return this.redactTree(fields, undefined, 0) as Record<string, unknown>;
    } catch (err) {
      if (err === DROP) return null;
      throw err;
    }
  }

  /** Whether a field name is a secret's (names repeat on every event: remembered). */
  private secretKey(key: string): boolean {
    let secret = this.secretKeys.get(key);
    if (secret === undefined) {
      secret = SECRET_FIELD.test(key);
      if (this.secretKeys.size >= MEMO_MAX_ENTRIES) this.secretKeys.clear();
      this.secretKeys.set(key, secret);
    }
    return secret;
  }

  /**
   * One value of a field tree (`key`: its name in the enclosing object);
   * throws DROP. A value nothing changes in is returned as it is (most
   * fields hold nothing to redact); otherwise a copy, made as a plain
   * assignment of every key would make it.
   */
  private redactTree(value: unknown, key: string | undefined, depth: number): unknown {
    if (key !== undefined && this.secretStep && value !== null && typeof value !== 'object' && value !== '' && this.secretKey(key)) {
      this.count('secret');
      if (this.secretStep.mode === 'drop') throw DROP;
      return this.replacement(this.secretStep, String(value));
    }
    if (typeof value === 'string') {
      const r = this.redactValue(value);
      if (r === null) throw DROP;
      return r;
    }
    if (value === null || typeof value !== 'object' || depth > 32) return value;
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        const r = this.redactTree(v, undefined, depth + 1);
        if (out) out[i] = r;
        else if (r !== v) {
          out = value.slice(0, i);
          out[i] = r;
        }
      }
      return out ?? value;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = record[k];
      const r = this.redactTree(v, k, depth + 1);
      if (out) setOwnField(out, k, r);
      else if (r !== v) {
        out = {};
        for (let j = 0; j < i; j++) setOwnField(out, keys[j]!, record[keys[j]!]);
        setOwnField(out, k, r);
      }
    }
    return out ?? record;
  }
}
