/**
 * A small runtime schema for IPC and HTTP payloads: one declaration gives both
 * the TypeScript type (`Infer<typeof s>`) and the validator main runs on every
 * request. Hand-written rather than a library because the payloads are small
 * and flat, and the error must name the field (`importFiles.paths[2]: ...`).
 */

/** A payload that does not match its schema; `message` names the field. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}

export interface Schema<T> {
  /** Returns the value typed as T, or throws PayloadError naming `path`. */
  parse(value: unknown, path: string): T;
  readonly optional?: boolean;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function fail(path: string, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw new PayloadError(`${path}: expected ${expected}, got ${got === 'string' ? JSON.stringify(String(value).slice(0, 40)) : got}`);
}

function string(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Schema<string> {
  const max = opts.max ?? 100_000;
  return {
    parse(v, path) {
      if (typeof v !== 'string') fail(path, 'a string', v);
      if (v.length < (opts.min ?? 0)) throw new PayloadError(`${path}: must have at least ${opts.min} character(s)`);
      if (v.length > max) throw new PayloadError(`${path}: longer than ${max} characters`);
      if (opts.pattern && !opts.pattern.test(v)) throw new PayloadError(`${path}: does not match ${opts.pattern}`);
      return v;
    },
  };
}

function number(opts: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  return {
    parse(v, path) {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, opts.integer ? 'an integer' : 'a finite number', v);
      if (opts.integer && !Number.isSafeInteger(v)) fail(path, 'an integer', v);
      if (opts.min !== undefined && v < opts.min) throw new PayloadError(`${path}: must be at least ${opts.min}, got ${v}`);
      if (opts.max !== undefined && v > opts.max) throw new PayloadError(`${path}: must be at most ${opts.max}, got ${v}`);
      return v;
    },
  };
}

const int = (opts: { min?: number; max?: number } = {}): Schema<number> => number({ ...opts, integer: true });

function boolean(): Schema<boolean> {
  return {
    parse(v, path) {
      if (typeof v !== 'boolean') fail(path, 'true or false', v);
      return v;
    },
  };
}

function oneOf<const T extends readonly string[]>(values: T): Schema<T[number]> {
  return {
    parse(v, path) {
      if (typeof v !== 'string' || !values.includes(v)) fail(path, `one of ${values.join(', ')}`, v);
      return v as T[number];
    },
  };
}

function array<T>(item: Schema<T>, opts: { min?: number; max?: number } = {}): Schema<T[]> {
  const max = opts.max ?? 10_000;
  return {
    parse(v, path) {
      if (!Array.isArray(v)) fail(path, 'an array', v);
      if (v.length < (opts.min ?? 0)) throw new PayloadError(`${path}: needs at least ${opts.min} item(s)`);
      if (v.length > max) throw new PayloadError(`${path}: more than ${max} items`);
      return v.map((x, i) => item.parse(x, `${path}[${i}]`));
    },
  };
}

function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return {
    optional: true,
    parse(v, path) {
      return v === undefined ? undefined : inner.parse(v, path);
    },
  };
}

function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    parse(v, path) {
      return v === null ? null : inner.parse(v, path);
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { readonly optional: true } ? K : undefined extends Infer<S[K]> ? K : never }[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] };
export type ObjectOf<S extends Shape> = Flatten<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** A plain object with exactly these keys: unknown keys are rejected, so typos fail loudly. */
function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  return {
    parse(v, path) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
      const rec = v as Record<string, unknown>;
      for (const key of Object.keys(rec)) {
        if (!Object.hasOwn(shape, key)) throw new PayloadError(`${path}: unknown field "${key}"`);
      }
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const parsed = schema.parse(rec[key], `${path}.${key}`);
        if (parsed !== undefined) out[key] = parsed;
      }
      return out as ObjectOf<S>;
    },
  };
}

/** No payload: the call takes no argument (`undefined`, or `null` after JSON). */
function none(): Schema<void> {
  return {
    parse(v, path) {
      if (v !== undefined && v !== null) fail(path, 'no payload', v);
      return undefined;
    },
  };
}

export const s = { string, number, int, boolean, oneOf, array, optional, nullable, object, none };
