/**
 * Readers for OTLP field values that accept both encodings of the same
 * message: what protobufjs decodes from the binary form (Uint8Array ids,
 * Long 64-bit integers, enum numbers) and what JSON.parse gives for OTLP/JSON
 * (hex ids, 64-bit integers as decimal strings or numbers, enums as numbers or
 * names, bytes as base64). One walker then maps both, so the two encodings
 * cannot drift apart. (Protobuf logs, the receiver's bulk, are also read
 * straight from the wire by map-logs-protobuf.ts, into the same event
 * builder; it leaves anything unusual to this path, and a test holds it to
 * this path's results.) A value of the wrong type throws OtlpFormatError
 * naming the field path; the receiver answers it with 400.
 */

import { setOwnField } from '../../../shared/own-field';

/** A request that does not follow the OTLP schema. `path` names the field. */
export class OtlpFormatError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'OtlpFormatError';
  }
}

/** A converted AnyValue: what attributes and bodies become. */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

/** Attributes of one record, key → value (a duplicated key keeps its last value). */
export type Attributes = Record<string, PlainValue>;

/** AnyValue nesting beyond this is refused: no telemetry needs it, and it bounds recursion. */
export const MAX_VALUE_DEPTH = 32;

interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
}

const TWO_32 = 4294967296;

function isLong(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number';
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * Whether a field is present: an own property that is not null. protobufjs
 * keeps defaults on the prototype, so a bare read cannot tell an absent
 * proto3 `optional`/oneof member from a zero.
 */
export function has(o: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key) && o[key] !== null && o[key] !== undefined;
}

export function readArray(v: unknown, path: string): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  throw new OtlpFormatError(path, `expected an array, got ${typeName(v)}`);
}

export function readObject(v: unknown, path: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) return v as Record<string, unknown>;
  throw new OtlpFormatError(path, `expected an object, got ${typeName(v)}`);
}

export function readString(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  throw new OtlpFormatError(path, `expected a string, got ${typeName(v)}`);
}

export function readBool(v: unknown, path: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  throw new OtlpFormatError(path, `expected a boolean, got ${typeName(v)}`);
}

const INT_STRING = /^-?\d{1,20}$/;

/**
 * A 64-bit integer as a JS number (exact up to 2^53; beyond, the nearest
 * double, which is ample for nanosecond timestamps and counters).
 */
export function readInt64(v: unknown, path: string, unsigned = false): number {
  if (v === undefined || v === null) return 0;
  let n: number;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new OtlpFormatError(path, `expected an integer, got ${v}`);
    n = v;
  } else if (typeof v === 'string') {
    if (!INT_STRING.test(v)) throw new OtlpFormatError(path, `expected an integer, got "${v.slice(0, 40)}"`);
    n = Number(v);
  } else if (isLong(v)) {
    n = longBitsValue(v.low, v.high, v.unsigned);
  } else {
    throw new OtlpFormatError(path, `expected an integer, got ${typeName(v)}`);
  }
  if (unsigned && n < 0) throw new OtlpFormatError(path, `expected an unsigned integer, got ${n}`);
  if (Math.abs(n) > 1.8446744073709552e19) throw new OtlpFormatError(path, `integer out of 64-bit range`);
  return n;
}

/** A 64-bit integer given as its two 32-bit halves (protobufjs's Long), as the nearest double. */
function longBitsValue(low: number, high: number, unsigned: boolean): number {
  return unsigned ? (high >>> 0) * TWO_32 + (low >>> 0) : high * TWO_32 + (low >>> 0);
}

/**
 * The exact value of a 64-bit integer given as its halves: a number when it
 * is a safe integer, else its decimal string. The protobuf reader of
 * map-logs-protobuf.ts uses it too, so both readers give the same value.
 */
export function exactLongBits(low: number, high: number, unsigned: boolean): number | string {
  const n = longBitsValue(low, high, unsigned);
  if (Number.isSafeInteger(n)) return n;
  const big = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  return (unsigned ? big : BigInt.asIntN(64, big)).toString();
}

/** An int64 AnyValue: a number when exact, else its decimal string (values beyond 2^53 are rare but must not change). */
export function readExactInt64(v: unknown, path: string): number | string {
  if (isLong(v)) {
    readInt64(v, path);
    return exactLongBits(v.low, v.high, v.unsigned);
  }
  const n = readInt64(v, path);
  if (typeof v === 'string' && !Number.isSafeInteger(n)) return v;
  return n;
}

/** Nanoseconds since the epoch (fixed64); 0 when absent. */
export function readNanos(v: unknown, path: string): number {
  return readInt64(v, path, true);
}

/**
 * Nanoseconds since the epoch → whole milliseconds (the events' time unit);
 * 0 when absent. Only for a count that is already a double (a JSON number):
 * today's nanosecond counts exceed 2^53, so the double is off by up to
 * 256 ns and the division can land a millisecond early. Exact sources use
 * nanosHalvesToMs or the decimal string.
 */
export function nanosToMs(ns: number): number {
  return Math.trunc(ns / 1e6);
}

/**
 * Whole milliseconds of an unsigned 64-bit nanosecond count given as its
 * 32-bit halves, exactly: with 2^32 = 4294·10^6 + 967,296 every product
 * stays below 2^53, so no rounding happens anywhere.
 */
export function nanosHalvesToMs(low: number, high: number): number {
  const h = high >>> 0;
  return h * 4294 + Math.floor((h * 967_296 + (low >>> 0)) / 1e6);
}

/** A timestamp field (fixed64 nanoseconds; a Long, a decimal string or a number) as exact whole milliseconds. */
export function readNanosAsMs(v: unknown, path: string): number {
  const ns = readNanos(v, path);
  if (isLong(v)) return nanosHalvesToMs(v.low, v.high);
  // Validated as unsigned decimal digits above: dropping the last six digits is exact truncation.
  if (typeof v === 'string') return v.length > 6 ? Number(v.slice(0, -6)) : 0;
  return nanosToMs(ns);
}

/** A double; proto3 JSON also allows "NaN", "Infinity", "-Infinity" and numeric strings. */
export function readDouble(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n)) return n;
  }
  throw new OtlpFormatError(path, `expected a number, got ${typeName(v)}`);
}

/** An enum: its number, or (OTLP/JSON) its name. Unknown numbers pass: proto3 enums are open. */
export function readEnum(v: unknown, path: string, names: readonly string[]): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const i = names.indexOf(v);
    if (i >= 0) return i;
    throw new OtlpFormatError(path, `unknown enum value "${v.slice(0, 60)}"`);
  }
  throw new OtlpFormatError(path, `expected an enum number or name, got ${typeName(v)}`);
}

/** protobufjs's prototype default for an absent bytes field is a shared empty array. */
function isEmptyDefault(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

const HEX = '0123456789abcdef';

function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
  return s;
}

/**
 * A trace id (16 bytes) or span id (8 bytes) as lower-case hex; '' when
 * absent. OTLP/JSON carries ids as hex (not base64, unlike proto3 JSON).
 */
export function readId(v: unknown, path: string, bytes: 16 | 8): string {
  if (v === undefined || v === null || isEmptyDefault(v)) return '';
  if (v instanceof Uint8Array) {
    if (v.length === 0) return '';
    if (v.length !== bytes) throw new OtlpFormatError(path, `expected ${bytes} bytes, got ${v.length}`);
    return bytesToHex(v);
  }
  if (typeof v === 'string') {
    if (v === '') return '';
    if (v.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(v)) {
      throw new OtlpFormatError(path, `expected ${bytes * 2} hex characters, got "${v.slice(0, 40)}"`);
    }
    return v.toLowerCase();
  }
  throw new OtlpFormatError(path, `expected a hex id, got ${typeName(v)}`);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Bytes as base64 text (JSON already carries base64). */
export function readBytesBase64(v: unknown, path: string): string {
  if (v === undefined || v === null || isEmptyDefault(v)) return '';
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (typeof v === 'string') {
    if (!BASE64.test(v)) throw new OtlpFormatError(path, 'expected base64 bytes');
    return v;
  }
  throw new OtlpFormatError(path, `expected base64 bytes, got ${typeName(v)}`);
}

/** Collects non-fatal notes (profiling-only fields seen in other signals). */
export interface ValueNotes {
  warn(message: string): void;
}

/** An AnyValue → plain JS value. Empty AnyValue → null. */
export function readAnyValue(v: unknown, path: string, notes: ValueNotes, depth = 0): PlainValue {
  const o = readObject(v, path);
  if (!o) return null;
  if (depth >= MAX_VALUE_DEPTH) throw new OtlpFormatError(path, `value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (has(o, 'stringValue')) return readString(o.stringValue, `${path}.stringValue`);
  if (has(o, 'intValue')) return readExactInt64(o.intValue, `${path}.intValue`);
  if (has(o, 'doubleValue')) return readDouble(o.doubleValue, `${path}.doubleValue`);
  if (has(o, 'boolValue')) return readBool(o.boolValue, `${path}.boolValue`);
  if (has(o, 'arrayValue')) {
    const arr = readObject(o.arrayValue, `${path}.arrayValue`);
    const values = readArray(arr?.values, `${path}.arrayValue.values`);
    const out: PlainValue[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = readAnyValue(values[i], `${path}.arrayValue.values[${i}]`, notes, depth + 1);
    return out;
  }
  if (has(o, 'kvlistValue')) {
    const kv = readObject(o.kvlistValue, `${path}.kvlistValue`);
    return readKeyValues(kv?.values, `${path}.kvlistValue.values`, notes, depth + 1);
  }
  if (has(o, 'bytesValue')) return readBytesBase64(o.bytesValue, `${path}.bytesValue`);
  if (has(o, 'stringValueStrindex')) notes.warn(`${path}: stringValueStrindex is for profiles only; value read as empty`);
  return null;
}

/** A repeated KeyValue → attributes object. */
export function readKeyValues(v: unknown, path: string, notes: ValueNotes, depth = 0): Attributes {
  const list = readArray(v, path);
  // A plain object (fast properties; a prototype-less one is a slow dictionary):
  // "__proto__" is defined as data, never set as the prototype (see setOwnField).
  const out: Attributes = {};
  for (let i = 0; i < list.length; i++) {
    const kv = readObject(list[i], `${path}[${i}]`);
    if (!kv) continue;
    const key = readString(kv.key, `${path}[${i}].key`);
    if (key === '' && has(kv, 'keyStrindex')) notes.warn(`${path}[${i}]: keyStrindex is for profiles only; attribute ignored`);
    if (key === '') continue;
    setOwnField(out, key, readAnyValue(kv.value, `${path}[${i}].value`, notes, depth));
  }
  return out;
}

