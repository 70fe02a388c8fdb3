import { isIPv6 } from 'node:net';
import type { PiiKind } from '../../../shared/redaction-policy';
import { charSet, hasCharRun } from '../../../core';
import { cardPrefixPlausible, ibanValid, luhnValid } from './checksums';

/** The personal value inside a match, with the text around it that stays. */
export interface Found {
  before: string;
  value: string;
  after: string;
}

export interface Detector {
  kind: PiiKind;
  /** Cheap precondition: the regex is skipped when the text cannot match (it must hold wherever the pattern matches). */
  guard: (text: string) => boolean;
  /** Global regex; candidates are confirmed by `confirm`. */
  pattern: RegExp;
  /** The value to redact in a match, or null when the candidate is not one. */
  confirm: (match: string, groups: readonly (string | undefined)[]) => Found | null;
}

const whole = (match: string): Found => ({ before: '', value: match, after: '' });
// Guard patterns are module constants: a regex literal inside a guard would
// be a new RegExp object on every call, and guards run on every event.
const DIGIT = /\d/;
const hasDigit = (s: string): boolean => DIGIT.test(s);
const VENDOR_KEY_PREFIX = /AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|sk[-_]|rk_live|AIza/;
const SECRET_WORD = /pass|pwd|secret|key|token|credential/i;
const IBAN_START = /[A-Z]{2}\d\d/;
const DIGIT_DOT_DIGIT = /\d\.\d/;
/** What a card number candidate is made of: 13 or more of them in a row. */
const CARD_CHARS = charSet(/[\d -]/);


/** An IPv6 address without "::" has seven colons; clock times have two. */
function colons(s: string): number {
  let n = 0;
  for (let i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) n++;
  return n;
}

// Names whose value is a secret, in key=value, key: value and JSON forms.
const SECRET_KEYS =
  'pass(?:word|wd|phrase)?|pwd|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?key(?:[_-]?id)?|secret[_-]?key|' +
  '(?:access|auth|refresh|id|session)[_-]?token|token|private[_-]?key|credentials?';

/** A structured field whose value is a secret whatever it looks like. */
export const SECRET_FIELD = new RegExp(`^(?:${SECRET_KEYS}|authorization|cookie|set-cookie)$`, 'i');

/**
 * The built-in detectors, in the order they run. Earlier ones win: a JWT is
 * gone before the secret rules see "Bearer <JWT>", card numbers and IBANs
 * before the phone rule could take their digits.
 */
export const DETECTORS: readonly Detector[] = [
  {
    kind: 'jwt',
    guard: (s) => s.includes('eyJ'),
    pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    confirm: whole,
  },
  {
    // Vendor key formats: AWS access key ids, GitHub, Slack, Stripe/OpenAI, Google API keys.
    kind: 'secret',
    guard: (s) => VENDOR_KEY_PREFIX.test(s),
    pattern:
      /\b(?:(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35})\b/g,
    confirm: whole,
  },
  {
    // Authorization headers: "Bearer abc…", "Basic dXNlcjpwYXNz".
    kind: 'secret',
    guard: (s) => s.includes('Bearer') || s.includes('Basic') || s.includes('bearer'),
    pattern: /\b([Bb]earer|Basic)(\s+)([A-Za-z0-9._~+/=-]{8,})/g,
    confirm: (_m, g) => ({ before: `${g[0]}${g[1]}`, value: g[2]!, after: '' }),
  },
  {
    // password=…, "api_key": "…", secret: … (the value only; the key stays).
    kind: 'secret',
    guard: (s) => SECRET_WORD.test(s),
    pattern: new RegExp(`\\b(${SECRET_KEYS})(["']?\\s*[:=]\\s*["']?)(?!<)([^\\s"',;&<>]{3,})`, 'gi'),
    confirm: (_m, g) => ({ before: `${g[0]}${g[1]}`, value: g[2]!, after: '' }),
  },
  {
    kind: 'email',
    guard: (s) => s.includes('@'),
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
    confirm: whole,
  },
  {
    kind: 'iban',
    guard: (s) => IBAN_START.test(s),
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
    confirm: (m) => (ibanValid(m.replace(/ /g, '')) ? whole(m) : null),
  },
  {
    kind: 'card',
    guard: (s) => hasCharRun(s, CARD_CHARS, 13),
    pattern: /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w.-])/g,
    confirm: (m) => {
      const digits = m.replace(/[ -]/g, '');
      return luhnValid(digits) && cardPrefixPlausible(digits) ? whole(m) : null;
    },
  },
  {
    kind: 'ipv6',
    guard: (s) => s.includes('::') || colons(s) >= 7,
    pattern: /(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![0-9A-Za-z:]|\.\d)/g,
    // A digit is required: "a::b" and "dead::beef" are valid addresses but far more often code.
    confirm: (m) => (/\d/.test(m) && isIPv6(m) ? whole(m) : null),
  },
  {
    kind: 'ipv4',
    guard: (s) => DIGIT_DOT_DIGIT.test(s),
    pattern: /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d]|\.\d)/g,
    confirm: whole,
  },
  {
    // International numbers (+country code) and North American (xxx) xxx-xxxx / xxx-xxx-xxxx.
    kind: 'phone',
    guard: (s) => hasDigit(s) && (s.includes('+') || s.includes('(') || s.includes('-')),
    pattern: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,4}){2,5}(?![\w])|(?<![\w(])\(\d{3}\) ?\d{3}-\d{4}(?!\w)|(?<![\w-])\d{3}-\d{3}-\d{4}(?![\w-])/g,
    confirm: (m) => {
      const digits = m.replace(/\D/g, '').length;
      return digits >= 8 && digits <= 15 ? whole(m) : null;
    },
  },
];
