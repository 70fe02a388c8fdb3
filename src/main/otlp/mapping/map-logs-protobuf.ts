import type { MapOutcome } from './map-outcome';
import { pushLogRecord, type LogRecordValues } from './map-logs';
import { setOwnField } from '../../../shared/own-field';
import { exactLongBits, MAX_VALUE_DEPTH, type Attributes, type PlainValue } from './otlp-values';
import { resourceContext, scopeContext, type ResourceContext, type ScopeContext } from './walk-resources';
import { WireReader } from './wire-reader';

/**
 * ExportLogsServiceRequest protobuf bytes mapped straight to events, the
 * receiver's hot path. The general path (protobufjs decodes a message tree,
 * the walker of map-logs.ts reads it) allocates a dozen objects per record
 * before the event exists; this reader keeps a record's values in locals and
 * hands them to the same builder (pushLogRecord), so both paths make the
 * same events.
 *
 * It handles the shape exporters send and nothing else: at anything unusual
 * (a malformed byte, a wire type that does not match the schema, a singular
 * message field given twice, a resource or scope after its items, a value
 * nested as deep as the walker's limit, a profiles-only field, invalid
 * UTF-8) it gives up and the caller takes the general path, which then
 * decides, with its own messages, whether the request is refused. Giving up
 * is always safe; the test suite checks that where this reader does not give
 * up, it agrees with the general path.
 */

/** Thrown inside the reader to give the request to the general path. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp('not on the protobuf fast path');

function giveUp(): never {
  throw GIVE_UP;
}

/**
 * Maps the request into `out` and returns true, or returns false (and `out`
 * must be discarded) when the general path has to decide.
 */
export function mapLogsProtobuf(bytes: Uint8Array, out: MapOutcome): boolean {
  const w = new WireReader(bytes, giveUp);
  try {
    while (w.more()) {
      const tag = w.tag();
      if (tag === ((1 << 3) | 2)) {
        const end = w.enter();
        resourceLogs(w, out);
        w.leave(end);
      } else w.skipUnknown(tag, 1);
    }
    return true;
  } catch {
    return false;
  }
}

function resourceLogs(w: WireReader, out: MapOutcome): void {
  let resource: ResourceContext | undefined;
  let scopesSeen = false;
  while (w.more()) {
    const tag = w.tag();
    switch (tag) {
      case (1 << 3) | 2: {
        // The walker reads the resource before the scopes: one given after them (or twice) is left to it.
        if (resource || scopesSeen) giveUp();
        const end = w.enter();
        resource = resourceContext(resourceAttributes(w));
        w.leave(end);
        break;
      }
      case (2 << 3) | 2: {
        scopesSeen = true;
        resource ??= resourceContext({});
        const end = w.enter();
        scopeLogs(w, resource, out);
        w.leave(end);
        break;
      }
      case (3 << 3) | 2:
        w.string();
        break;
      default:
        w.skipUnknown(tag, 3);
    }
  }
}

function resourceAttributes(w: WireReader): Attributes {
  const attrs: Attributes = {};
  while (w.more()) {
    const tag = w.tag();
    switch (tag) {
      case (1 << 3) | 2: {
        const end = w.enter();
        keyValue(w, attrs, 0);
        w.leave(end);
        break;
      }
      case (2 << 3) | 0:
        w.uint32();
        break;
      case (3 << 3) | 2: {
        const end = w.enter();
        entityRef(w);
        w.leave(end);
        break;
      }
      default:
        w.skipUnknown(tag, 3);
    }
  }
  return attrs;
}

/** EntityRef: read only to check its strings, as protobufjs does. */
function entityRef(w: WireReader): void {
  while (w.more()) {
    const tag = w.tag();
    if (tag === ((1 << 3) | 2) || tag === ((2 << 3) | 2) || tag === ((3 << 3) | 2) || tag === ((4 << 3) | 2)) w.string();
    else w.skipUnknown(tag, 4);
  }
}

function scopeLogs(w: WireReader, resource: ResourceContext, out: MapOutcome): void {
  let ctx: ScopeContext | undefined;
  let recordsSeen = false;
  while (w.more()) {
    const tag = w.tag();
    switch (tag) {
      case (1 << 3) | 2: {
        if (ctx || recordsSeen) giveUp();
        const end = w.enter();
        ctx = scopeContext(resource, scopeName(w));
        w.leave(end);
        break;
      }
      case (2 << 3) | 2: {
        recordsSeen = true;
        ctx ??= scopeContext(resource, '');
        const end = w.enter();
        logRecord(w, ctx, out);
        w.leave(end);
        break;
      }
      case (3 << 3) | 2:
        w.string();
        break;
      default:
        w.skipUnknown(tag, 3);
    }
  }
}

/** InstrumentationScope: its name; the rest is read to check it. */
function scopeName(w: WireReader): string {
  let name = '';
  while (w.more()) {
    const tag = w.tag();
    switch (tag) {
      case (1 << 3) | 2:
        name = w.string();
        break;
      case (2 << 3) | 2:
        w.string();
        break;
      case (3 << 3) | 2: {
        const end = w.enter();
        keyValue(w, {}, 0);
        w.leave(end);
        break;
      }
      case (4 << 3) | 0:
        w.uint32();
        break;
      default:
        w.skipUnknown(tag, 4);
    }
  }
  return name;
}

function logRecord(w: WireReader, ctx: ScopeContext, out: MapOutcome): void {
  out.records++;
  const v: LogRecordValues = { time: 0, observed: 0, severityNumber: 0, severityText: '', body: null, attrs: {}, traceId: '', spanId: '', eventName: '' };
  let bodySeen = false;
  while (w.more()) {
    const tag = w.tag();
    switch (tag) {
      case (1 << 3) | 1:
        v.time = w.fixed64NanosAsMs();
        break;
      case (11 << 3) | 1:
        v.observed = w.fixed64NanosAsMs();
        break;
      case (2 << 3) | 0:
        v.severityNumber = w.uint32() | 0;
        break;
      case (3 << 3) | 2:
        v.severityText = w.shortString();
        break;
      case (5 << 3) | 2: {
        if (bodySeen) giveUp();
        bodySeen = true;
        const end = w.enter();
        v.body = anyValue(w, 0);
        w.leave(end);
        break;
      }
      case (6 << 3) | 2: {
        const end = w.enter();
        keyValue(w, v.attrs, 0);
        w.leave(end);
        break;
      }
      case (7 << 3) | 0:
        w.uint32();
        break;
      case (8 << 3) | 5:
        w.skipBytes(4);
        break;
      case (9 << 3) | 2:
        v.traceId = w.hexId(16);
        break;
      case (10 << 3) | 2:
        v.spanId = w.hexId(8);
        break;
      case (12 << 3) | 2:
        v.eventName = w.string();
        break;
      default:
        w.skipUnknown(tag, 12);
    }
  }
  pushLogRecord(v, ctx, out);
}

/** One KeyValue into `attrs` (an empty key is left out, as the walker does). */
function keyValue(w: WireReader, attrs: Attributes, depth: number): void {
  let key = '';
  let value: PlainValue = null;
  let valueSeen = false;
  while (w.more()) {
    const tag = w.tag();
    switch (tag) {
      case (1 << 3) | 2:
        key = w.shortString();
        break;
      case (2 << 3) | 2: {
        if (valueSeen) giveUp();
        valueSeen = true;
        const end = w.enter();
        value = anyValue(w, depth);
        w.leave(end);
        break;
      }
      default:
        // key_strindex (3) is for profiles: the walker warns about it.
        if (tag >>> 3 === 3) giveUp();
        w.skipUnknown(tag, 2);
    }
  }
  if (key !== '') setOwnField(attrs, key, value);
}

/** An AnyValue with at most one member (more is left to the general path), as the walker converts it. */
function anyValue(w: WireReader, depth: number): PlainValue {
  if (depth >= MAX_VALUE_DEPTH) giveUp();
  let value: PlainValue = null;
  let members = 0;
  while (w.more()) {
    const tag = w.tag();
    const field = tag >>> 3;
    if (field >= 1 && field <= 8 && ++members > 1) giveUp();
    switch (tag) {
      case (1 << 3) | 2:
        value = w.shortString();
        break;
      case (2 << 3) | 0:
        value = w.uint32() !== 0;
        break;
      case (3 << 3) | 0:
        w.varint64();
        value = exactLongBits(w.lo, w.hi | 0, false);
        break;
      case (4 << 3) | 1:
        value = w.double();
        break;
      case (5 << 3) | 2: {
        const end = w.enter();
        value = arrayValue(w, depth + 1);
        w.leave(end);
        break;
      }
      case (6 << 3) | 2: {
        const end = w.enter();
        value = keyValueList(w, depth + 1);
        w.leave(end);
        break;
      }
      case (7 << 3) | 2:
        value = w.base64();
        break;
      default:
        // string_value_strindex (8) is for profiles: the walker warns about it.
        if (field >= 1 && field <= 8) giveUp();
        w.skipUnknown(tag, 8);
    }
  }
  return value;
}

function arrayValue(w: WireReader, depth: number): PlainValue[] {
  const values: PlainValue[] = [];
  while (w.more()) {
    const tag = w.tag();
    if (tag === ((1 << 3) | 2)) {
      const end = w.enter();
      values.push(anyValue(w, depth));
      w.leave(end);
    } else w.skipUnknown(tag, 1);
  }
  return values;
}

function keyValueList(w: WireReader, depth: number): Attributes {
  const attrs: Attributes = {};
  while (w.more()) {
    const tag = w.tag();
    if (tag === ((1 << 3) | 2)) {
      const end = w.enter();
      keyValue(w, attrs, depth);
      w.leave(end);
    } else w.skipUnknown(tag, 1);
  }
  return attrs;
}
