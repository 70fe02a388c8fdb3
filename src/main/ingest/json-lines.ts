import { parseJsonLine } from './json-reason';
import type { RawEvent, RecordDecoder } from './raw-event';
import { parseTimestamp } from './timestamps';

/** Field names tried, in order, when the message field is not given. */
export const MESSAGE_FIELDS = ['message', 'msg', 'log', 'body', 'text', 'MESSAGE', '@message', 'short_message', 'textPayload', 'event'];
/** Field names tried, in order, when the timestamp field is not given. */
export const TIMESTAMP_FIELDS = ['timestamp', '@timestamp', 'time', 'ts', 'datetime', 'date', 'eventTime', 'time_local', 'Timestamp', '@t', 't'];
const LEVEL_FIELDS = ['level', 'severity', 'lvl', 'loglevel', 'log.level', 'levelname', '@l'];

export interface JsonFieldOptions {
  /** Field holding the message (dotted path for nested fields); default: first of MESSAGE_FIELDS present. */
  messageField?: string;
  /** Field holding the timestamp; default: first of TIMESTAMP_FIELDS present. */
  timestampField?: string;
}

function getPath(obj: Record<string, unknown>, path: string): unknown {
  if (path in obj) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function withoutPath(obj: Record<string, unknown>, path: string): Record<string, unknown> {
  if (path in obj) {
    const { [path]: _gone, ...rest } = obj;
    return rest;
  }
  const [head, ...tail] = path.split('.');
  const inner = obj[head!];
  if (tail.length === 0 || typeof inner !== 'object' || inner === null || Array.isArray(inner)) return obj;
  return { ...obj, [head!]: withoutPath(inner as Record<string, unknown>, tail.join('.')) };
}

/**
 * JSON lines: one object per line. The message becomes the event text, the
 * timestamp its time, a level field (level, severity, ...) a word the engine
 * sees first, and every other field the event's structured fields. An
 * object without a message field is shown as its compact JSON.
 */
export function jsonLinesDecoder(options: JsonFieldOptions = {}): RecordDecoder {
  return {
    kind: 'jsonl',
    decode(line: string): RawEvent[] | string {
      const json = parseJsonLine(line);
      if (json === null) return [];
      if (typeof json === 'string') return json;
      const parsed = json.value;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return `expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`;
      }
      const obj = parsed as Record<string, unknown>;
      let fields = obj;
      const event: RawEvent = { text: '' };

      const timeField = options.timestampField ?? TIMESTAMP_FIELDS.find((f) => obj[f] !== undefined);
      if (timeField !== undefined) {
        const ts = parseTimestamp(getPath(obj, timeField));
        if (ts !== undefined) {
          event.timestamp = ts;
          fields = withoutPath(fields, timeField);
        }
      }
      const messageField = options.messageField ?? MESSAGE_FIELDS.find((f) => obj[f] !== undefined);
      const message = messageField === undefined ? undefined : getPath(obj, messageField);
      if (message !== undefined && messageField !== undefined) {
        event.text = typeof message === 'string' ? message : JSON.stringify(message);
        fields = withoutPath(fields, messageField);
      } else {
        event.text = JSON.stringify(fields);
      }
      const levelField = LEVEL_FIELDS.find((f) => typeof getPath(obj, f) === 'string');
      // Only a plain word: the prefix reaches the engine without redaction.
      const level = levelField === undefined ? '' : String(getPath(obj, levelField)).toLowerCase();
      if (/^[a-z]{1,16}$/.test(level)) event.prefix = level;
      if (Object.keys(fields).length > 0) event.fields = fields;
      return [event];
    },
  };
}
