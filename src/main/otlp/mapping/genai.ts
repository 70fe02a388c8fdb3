import type { FieldValue } from '../event-sink';
import type { Attributes, PlainValue } from './otlp-values';
import { valueText } from './render';

/**
 * LLM I/O under the OpenTelemetry GenAI semantic conventions, in the shapes
 * instrumentations have used over the conventions' life:
 * - log records / span events named `gen_ai.system.message`,
 *   `gen_ai.user.message`, `gen_ai.assistant.message`, `gen_ai.tool.message`
 *   (prompt side) and `gen_ai.choice` (completion side), content in the body
 *   (logs) or attributes (span events);
 * - span events `gen_ai.content.prompt` / `gen_ai.content.completion` with
 *   `gen_ai.prompt` / `gen_ai.completion` attributes;
 * - span attributes `gen_ai.prompt`, `gen_ai.completion`, indexed
 *   `gen_ai.prompt.N.content` / `gen_ai.completion.N.content`;
 * - the current `gen_ai.system_instructions`, `gen_ai.input.messages` and
 *   `gen_ai.output.messages` (on spans or on a
 *   `gen_ai.client.inference.operation.details` event), structured or as JSON text.
 * Each message becomes one prompt or completion event of its model's streams.
 */

export type Direction = 'prompt' | 'completion';

export interface GenAiMessage {
  direction: Direction;
  role: string;
  text: string;
}

const PROMPT_EVENTS = new Set(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message']);
const DEFAULT_ROLE: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
  'gen_ai.choice': 'assistant',
};
const DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

/** Attribute keys whose content is mapped to prompt/completion events (left out of the span's own text). */
export function isGenAiContentKey(key: string): boolean {
  return (
    key === 'gen_ai.prompt' ||
    key === 'gen_ai.completion' ||
    key === 'gen_ai.input.messages' ||
    key === 'gen_ai.output.messages' ||
    key === 'gen_ai.system_instructions' ||
    /^gen_ai\.(prompt|completion)\.\d+\./.test(key)
  );
}

export function isGenAi(attrs: Attributes): boolean {
  for (const k in attrs) if (k.startsWith('gen_ai.')) return true;
  return false;
}

function str(v: PlainValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Provider and model: record attributes first, then the resource; `unknown` when neither says. */
export function genAiIdentity(attrs: Attributes, resource: Attributes): { provider: string; model: string } {
  const pick = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = str(attrs[k]) ?? str(resource[k]);
      if (v) return v;
    }
    return undefined;
  };
  return {
    provider: pick('gen_ai.provider.name', 'gen_ai.system') ?? 'unknown',
    model: pick('gen_ai.request.model', 'gen_ai.response.model') ?? 'unknown',
  };
}

/** Token usage and call metadata kept on every prompt/completion event of the call. */
export function genAiFields(attrs: Attributes): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  const keys: [string, string][] = [
    ['gen_ai.usage.input_tokens', 'gen_ai.usage.input_tokens'],
    ['gen_ai.usage.prompt_tokens', 'gen_ai.usage.input_tokens'],
    ['gen_ai.usage.output_tokens', 'gen_ai.usage.output_tokens'],
    ['gen_ai.usage.completion_tokens', 'gen_ai.usage.output_tokens'],
    ['gen_ai.operation.name', 'gen_ai.operation.name'],
    ['gen_ai.response.id', 'gen_ai.response.id'],
    ['gen_ai.response.finish_reasons', 'gen_ai.response.finish_reasons'],
  ];
  for (const [from, to] of keys) {
    const v = attrs[from];
    if (v === undefined || v === null || out[to] !== undefined) continue;
    out[to] = typeof v === 'object' ? JSON.stringify(v) : v;
  }
  return out;
}

/** JSON text that holds messages is parsed; anything else is content as it is. */
function maybeJson(v: PlainValue): PlainValue {
  if (typeof v !== 'string') return v;
  const t = v.trimStart();
  if (!(t.startsWith('[') || t.startsWith('{'))) return v;
  try {
    return JSON.parse(v) as PlainValue;
  } catch {
    return v;
  }
}

function partText(part: PlainValue): string {
  if (typeof part !== 'object' || part === null || Array.isArray(part)) return valueText(part);
  const type = str(part.type);
  if ((type === 'text' || type === undefined) && part.content !== undefined) return valueText(part.content);
  if (type === 'tool_call') return `tool_call ${valueText(part.name ?? null)}(${valueText(part.arguments ?? null)})`;
  if (type === 'tool_call_response') return `tool_call_response ${valueText(part.response ?? part.result ?? null)}`;
  return JSON.stringify(part);
}

/** Messages in one value: a string, a message object, a choice, or a list of them. */
export function messagesIn(value: PlainValue, direction: Direction, defaultRole: string, out: GenAiMessage[] = []): GenAiMessage[] {
  const v = maybeJson(value);
  if (v === null || v === '') return out;
  if (Array.isArray(v)) {
    for (const item of v) messagesIn(item, direction, defaultRole, out);
    return out;
  }
  if (typeof v !== 'object') {
    out.push({ direction, role: defaultRole, text: valueText(v) });
    return out;
  }
  if (v.message !== undefined && v.message !== null && v.content === undefined && v.parts === undefined) {
    return messagesIn(v.message, direction, str(v.role) ?? defaultRole, out);
  }
  const role = str(v.role) ?? defaultRole;
  const pieces: string[] = [];
  if (Array.isArray(v.parts)) pieces.push(...v.parts.map(partText));
  else if (v.content !== undefined && v.content !== null) {
    const content = maybeJson(v.content);
    pieces.push(Array.isArray(content) ? content.map(partText).join('\n') : valueText(content));
  } else if (str(v.type) === 'text') pieces.push(partText(v));
  if (Array.isArray(v.tool_calls)) pieces.push(...v.tool_calls.map((c) => `tool_call ${JSON.stringify(c)}`));
  if (pieces.length === 0) pieces.push(JSON.stringify(v));
  out.push({ direction, role, text: pieces.join('\n') });
  return out;
}

/** Messages carried by attributes (span attributes, or a details event's attributes). */
export function messagesInAttributes(attrs: Attributes): GenAiMessage[] {
  const out: GenAiMessage[] = [];
  if (attrs['gen_ai.system_instructions'] !== undefined) messagesIn(attrs['gen_ai.system_instructions']!, 'prompt', 'system', out);
  if (attrs['gen_ai.input.messages'] !== undefined) messagesIn(attrs['gen_ai.input.messages']!, 'prompt', 'user', out);
  if (attrs['gen_ai.prompt'] !== undefined) messagesIn(attrs['gen_ai.prompt']!, 'prompt', 'user', out);
  indexed(attrs, 'prompt', 'user', out);
  if (attrs['gen_ai.output.messages'] !== undefined) messagesIn(attrs['gen_ai.output.messages']!, 'completion', 'assistant', out);
  if (attrs['gen_ai.completion'] !== undefined) messagesIn(attrs['gen_ai.completion']!, 'completion', 'assistant', out);
  indexed(attrs, 'completion', 'assistant', out);
  return out;
}

/** `gen_ai.prompt.0.content`, `gen_ai.prompt.0.role`, ... in index order. */
function indexed(attrs: Attributes, direction: Direction, defaultRole: string, out: GenAiMessage[]): void {
  const re = new RegExp(`^gen_ai\\.${direction}\\.(\\d+)\\.content$`);
  const found: [number, string][] = [];
  for (const k in attrs) {
    const m = re.exec(k);
    if (m) found.push([Number(m[1]), k]);
  }
  found.sort((a, b) => a[0] - b[0]);
  for (const [i, key] of found) {
    const role = str(attrs[`gen_ai.${direction}.${i}.role`]) ?? defaultRole;
    out.push({ direction, role, text: valueText(attrs[key]!) });
  }
}

/**
 * Messages of a GenAI event (a log record or a span event), or undefined when
 * the event is not GenAI content. `body` is the log body (null for span events,
 * whose content is in the attributes).
 */
export function messagesInEvent(name: string, body: PlainValue, attrs: Attributes): GenAiMessage[] | undefined {
  if (name === DETAILS_EVENT) return messagesInAttributes(attrs);
  if (name === 'gen_ai.content.prompt' || name === 'gen_ai.content.completion') return messagesInAttributes(attrs);
  const prompt = PROMPT_EVENTS.has(name);
  if (!prompt && name !== 'gen_ai.choice') return undefined;
  const direction: Direction = prompt ? 'prompt' : 'completion';
  const role = DEFAULT_ROLE[name]!;
  if (body !== null) return messagesIn(body, direction, role);
  const content = attrs.content ?? attrs['gen_ai.event.content'] ?? attrs.message;
  if (content !== undefined && content !== null) {
    const r = str(attrs.role) ?? role;
    return messagesIn(content, direction, r);
  }
  return [];
}
