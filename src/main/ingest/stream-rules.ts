import { OptionError } from './option-error';

/** A user rule: events whose text matches `pattern` go to the stream `template` names. */
export interface StreamRule {
  pattern: RegExp;
  /** Stream key; `$1`, `$<name>` insert capture groups. */
  template: string;
  /** The rule as the user wrote it (recorded with the source). */
  spec: string;
}

/**
 * Parse `REGEX=>STREAM`, e.g. `^\S+ (\w+)\[=>svc/$1`.
 *
 * @throws OptionError naming the rule when it is malformed
 */
export function parseStreamRule(spec: string): StreamRule {
  const at = spec.lastIndexOf('=>');
  if (at <= 0 || at + 2 >= spec.length) throw new OptionError(`stream rule "${spec}" must look like REGEX=>STREAM`);
  const source = spec.slice(0, at);
  const template = spec.slice(at + 2);
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (err) {
    throw new OptionError(`stream rule "${spec}": ${(err as Error).message}`);
  }
  return { pattern, template, spec };
}

/** The stream of the first rule whose pattern matches the text, if any. */
export function streamFromRules(rules: readonly StreamRule[], text: string): string | undefined {
  for (const rule of rules) {
    const m = rule.pattern.exec(text);
    if (!m) continue;
    const key = rule.template.replace(/\$(\d+|<([A-Za-z_][A-Za-z0-9_]*)>)/g, (_all, n: string, name: string | undefined) =>
      (name !== undefined ? m.groups?.[name] : m[Number(n)]) ?? '',
    );
    if (key.length > 0) return key;
  }
  return undefined;
}
