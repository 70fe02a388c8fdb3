import type { FieldValue } from '../event-sink';
import { setOwnField } from '../../../shared/own-field';
import type { Attributes, PlainValue } from './otlp-values';

/**
 * Turning converted OTLP values into an event's display text and its flat
 * fields. Attribute order in the text is by key, so the same record always
 * reads (and compresses) the same whatever order the SDK sent it in.
 */

/** A value as text: strings unquoted, structures as JSON, empty as ''. */
export function valueText(v: PlainValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const INSERTION_SORT_MAX = 16;

/**
 * The keys in the order Array.prototype.sort gives them (UTF-16 code units,
 * which `<` compares too): records have a few attributes, for which an
 * insertion sort is much cheaper than the generic sort (and quadratic
 * only up to INSERTION_SORT_MAX keys).
 */
function sortedKeys(attrs: Attributes): string[] {
  const keys = Object.keys(attrs);
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** `k=v k=v` over the attributes, sorted by key, skipping `skip`. */
export function attributesText(attrs: Attributes, skip?: (key: string) => boolean): string {
  const keys = sortedKeys(attrs);
  let out = '';
  for (const k of keys) {
    if (skip?.(k)) continue;
    out += `${out === '' ? '' : ' '}${k}=${valueText(attrs[k]!)}`;
  }
  return out;
}

/** Appends ` | attributes` when there are any. */
export function withAttributes(head: string, attrs: Attributes, skip?: (key: string) => boolean): string {
  const tail = attributesText(attrs, skip);
  return tail === '' ? head : `${head} | ${tail}`;
}


/** Copies attributes into flat fields: scalars as they are, structures as JSON text, empty values left out. */
export function addFields(fields: Record<string, FieldValue>, attrs: Attributes, skip?: (key: string) => boolean): void {
  for (const k of Object.keys(attrs)) {
    if (skip?.(k)) continue;
    const v = attrs[k]!;
    if (v === null) continue;
    setOwnField(fields, k, typeof v === 'object' ? JSON.stringify(v) : v);
  }
}

/**
 * A measurement rounded to three significant digits for the text the engine
 * compresses: jitter in the fourth digit is not news, a change of scale is.
 * The exact value stays in the fields.
 */
export function roundedNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1000) return String(x);
  return String(Number(x.toPrecision(3)));
}

/** Resource attributes kept on every event of the resource (the rest describe the SDK, not the record). */
export const RESOURCE_FIELDS = ['service.name', 'service.namespace', 'service.version', 'service.instance.id', 'host.name', 'deployment.environment.name', 'deployment.environment'];

export function resourceFields(resource: Attributes): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const k of RESOURCE_FIELDS) {
    const v = resource[k];
    if (v !== undefined && v !== null) out[k] = typeof v === 'object' ? JSON.stringify(v) : v;
  }
  return out;
}
