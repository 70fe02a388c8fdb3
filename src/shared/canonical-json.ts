/**
 * JSON Canonicalization Scheme (RFC 8785): one byte sequence per JSON value,
 * so a signature or a hash over it does not depend on key order, spacing or
 * number spelling.
 *
 * - Object members are sorted by their names as arrays of UTF-16 code units
 *   (JavaScript's default string order, which is what the RFC asks for; it
 *   differs from code-point order above U+FFFF).
 * - Numbers use the ECMAScript Number-to-String algorithm (RFC 8785 §3.2.2.3),
 *   which is what `JSON.stringify` does for finite numbers; -0 becomes `0`.
 *   NaN and ±Infinity are not JSON and throw.
 * - Strings use the JSON.stringify escapes (\b \t \n \f \r \" \\ and \u00xx
 *   with lowercase hex for other controls), which match RFC 8785 §3.2.2.2;
 *   lone surrogates are not valid Unicode and throw.
 * - Object members whose value is `undefined` are left out (optional fields);
 *   any other non-JSON value (undefined in an array, functions, bigint,
 *   class instances such as Date) throws, naming its path.
 *
 * Example: canonicalJson({ b: [1e30, 4.5], a: '€' }) === '{"a":"€","b":[1e+30,4.5]}'
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, '$');
}

/** The canonical form as UTF-8 bytes: what gets hashed and signed. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) throw new TypeError(`canonicalJson: ${path} holds a lone surrogate (not valid Unicode)`);
  return JSON.stringify(s);
}

function serialize(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot hold`);
      return JSON.stringify(value);
    case 'string':
      return serializeString(value, path);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot hold`);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v, i) => {
      if (v === undefined) throw new TypeError(`canonicalJson: ${path}[${i}] is undefined`);
      return serialize(v, `${path}[${i}]`);
    }).join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`canonicalJson: ${path} is a ${(value as object).constructor?.name ?? 'non-plain'} object; convert it first`);
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  // Default sort compares UTF-16 code units, exactly RFC 8785 §3.2.3.
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined) continue;
    members.push(`${serializeString(key, path)}:${serialize(v, `${path}.${key}`)}`);
  }
  return `{${members.join(',')}}`;
}
