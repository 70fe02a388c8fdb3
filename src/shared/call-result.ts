/**
 * How a call's outcome crosses a process or network boundary: errors travel
 * as data (a message a person can read, and a code the UI can branch on),
 * never as a transport exception whose text the transport rewrites.
 */
export type ErrorCode = 'invalid-payload' | 'no-case' | 'not-found' | 'unavailable' | 'input' | 'forbidden' | 'internal';

export interface CallError {
  code: ErrorCode;
  message: string;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError };

/** Thrown by services and clients; `code` survives the boundary. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function unwrap<T>(result: CallResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error.code, result.error.message);
}
