/**
 * The one path from a transport to a service: validate the payload against
 * the registry, run the call, and turn any failure into a CallResult error.
 * Electron IPC and the HTTP mode both go through here.
 */
import type { ApiCalls } from '../../shared/api';
import { ApiError, type CallResult } from '../../shared/call-result';
import { parseRequest, type CallName } from '../../shared/channels';
import { PayloadError } from '../../shared/schema';

export async function dispatchCall(calls: ApiCalls, name: CallName, payload: unknown): Promise<CallResult<unknown>> {
  try {
    const request = parseRequest(name, payload);
    // The registry ties each name to its request type; TypeScript cannot see
    // through the union of all methods, so the call goes through one cast.
    const method = calls[name] as (request: unknown) => Promise<unknown>;
    const value = await method.call(calls, request);
    return { ok: true, value: value ?? null };
  } catch (err) {
    if (err instanceof PayloadError) return { ok: false, error: { code: 'invalid-payload', message: err.message } };
    if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } };
    const e = err as Error & { code?: string };
    // Store and ingest errors (InputError and friends) carry file and line in their message.
    const input = e?.name === 'InputError' || e?.name === 'UsageError';
    return { ok: false, error: { code: input ? 'input' : 'internal', message: e?.message ?? String(err) } };
  }
}
