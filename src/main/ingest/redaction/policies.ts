import { readFileSync } from 'node:fs';
import {
  PII_KINDS,
  REDACTION_MODES,
  type PiiKind,
  type RedactionMode,
  type RedactionPolicy,
  type RedactionRule,
} from '../../../shared/redaction-policy';
import { InputError } from '../line-reader';

const all = (mode: (kind: PiiKind) => RedactionMode): RedactionRule[] => PII_KINDS.map((kind) => ({ kind, mode: mode(kind) }));

/**
 * Built-in policies:
 * - `default`: identities (email, IP addresses, phone numbers) pseudonymised,
 *   so "the same user again" stays visible; payment data, tokens and
 *   secrets masked.
 * - `strict`: everything masked; nothing is linkable across events.
 * - `none`: nothing redacted (data that is already clean).
 */
export const BUILTIN_POLICIES: Readonly<Record<string, RedactionPolicy>> = {
  default: {
    name: 'default',
    rules: all((k) => (k === 'email' || k === 'ipv4' || k === 'ipv6' || k === 'phone' ? 'pseudonymise' : 'mask')),
  },
  strict: { name: 'strict', rules: all(() => 'mask') },
  none: { name: 'none', rules: [] },
};

const RULE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

function fail(file: string, field: string, reason: string): never {
  throw new InputError(file, `${field}: ${reason}`);
}

function parseRule(file: string, raw: unknown, i: number): RedactionRule {
  const where = `rules[${i}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, where, 'must be an object');
  const r = raw as Record<string, unknown>;
  const mode = r.mode;
  if (typeof mode !== 'string' || !(REDACTION_MODES as readonly string[]).includes(mode)) {
    fail(file, `${where}.mode`, `must be one of ${REDACTION_MODES.join(', ')}`);
  }
  if (r.kind === 'regex') {
    if (typeof r.name !== 'string' || !RULE_NAME.test(r.name)) fail(file, `${where}.name`, 'must be a name of letters, digits, _ or - (max 32)');
    if (typeof r.pattern !== 'string' || r.pattern.length === 0) fail(file, `${where}.pattern`, 'must be a non-empty regular expression');
    const flags = r.flags ?? '';
    if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) fail(file, `${where}.flags`, 'may only contain i, m, s, u');
    try {
      new RegExp(r.pattern, `g${flags}`);
    } catch (err) {
      fail(file, `${where}.pattern`, (err as Error).message);
    }
    if (new RegExp(r.pattern, `g${flags}`).test('')) fail(file, `${where}.pattern`, 'matches the empty string');
    return { kind: 'regex', name: r.name, pattern: r.pattern, ...(flags ? { flags } : {}), mode: mode as RedactionMode };
  }
  if (typeof r.kind !== 'string' || !(PII_KINDS as readonly string[]).includes(r.kind)) {
    fail(file, `${where}.kind`, `must be "regex" or one of ${PII_KINDS.join(', ')}`);
  }
  return { kind: r.kind as PiiKind, mode: mode as RedactionMode };
}

/**
 * A policy file: `{"name": "...", "extends": "default", "rules": [...]}`.
 * Rules of an extended built-in are kept unless the file names the same
 * kind; regex rules are added. See README "Redaction".
 */
export function parsePolicyFile(file: string, text: string): RedactionPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail(file, 'policy', 'is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(file, 'policy', 'must be a JSON object');
  const p = json as Record<string, unknown>;
  const name = p.name ?? 'custom';
  if (typeof name !== 'string' || name.length === 0) fail(file, 'name', 'must be a non-empty string');
  let base: RedactionRule[] = [];
  if (p.extends !== undefined) {
    if (typeof p.extends !== 'string' || !BUILTIN_POLICIES[p.extends]) {
      fail(file, 'extends', `must be one of ${Object.keys(BUILTIN_POLICIES).join(', ')}`);
    }
    base = BUILTIN_POLICIES[p.extends]!.rules;
  }
  if (!Array.isArray(p.rules)) fail(file, 'rules', 'must be an array');
  const rules = p.rules.map((r, i) => parseRule(file, r, i));
  const names = new Set<string>();
  for (const r of rules) {
    const key = r.kind === 'regex' ? `regex:${r.name}` : r.kind;
    if (names.has(key)) fail(file, 'rules', `${key} appears twice`);
    names.add(key);
  }
  const merged = [...base.filter((r) => !names.has(r.kind)), ...rules];
  return { name, rules: merged };
}

/** `--redact POLICY`: a built-in name, or the path of a policy JSON file. */
export function resolvePolicy(spec: string): RedactionPolicy {
  const builtin = BUILTIN_POLICIES[spec];
  if (builtin) return builtin;
  if (!/[./\\]/.test(spec)) {
    throw new InputError(spec, `unknown redaction policy (built-ins: ${Object.keys(BUILTIN_POLICIES).join(', ')}; or a .json file)`);
  }
  let text: string;
  try {
    text = readFileSync(spec, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(spec, code === 'ENOENT' ? 'no such policy file' : (err as Error).message);
  }
  return parsePolicyFile(spec, text);
}
