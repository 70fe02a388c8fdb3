import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';

/** An HTTP failure with its status and a one-line reason for the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Reads a request body, refusing (413) one that declares or streams more than
 * `limit` bytes. The caller answers before the rest arrives; the connection
 * is then closed, so a client cannot make the server buffer an unbounded body.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new HttpError(413, `request body of ${declared} bytes exceeds the limit of ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new HttpError(413, `request body exceeds the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (!failed) reject(new HttpError(400, `request body could not be read: ${err.message}`));
      failed = true;
    });
  });
}

/** Undoes Content-Encoding (identity or gzip), with the same size limit on the decoded bytes (gzip bombs). */
export function decodeContentEncoding(body: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === '' || e === 'identity') return Promise.resolve(body);
  if (e !== 'gzip' && e !== 'x-gzip') return Promise.reject(new HttpError(415, `unsupported Content-Encoding "${encoding}" (use gzip or none)`));
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: limit }, (err, out) => {
      if (!err) resolve(out);
      else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        reject(new HttpError(413, `decompressed body exceeds the limit of ${limit} bytes`));
      } else reject(new HttpError(400, `invalid gzip body: ${err.message}`));
    });
  });
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** How long an unread request body may keep draining after the response. */
const DRAIN_GRACE_MS = 2000;

/**
 * Sends a response. When the request body was not fully read (413, early
 * 429), the rest is drained (the parser takes it as this request's body,
 * never as a next request) and the connection is closed if the body has not
 * ended within a short grace period, so a client cannot keep the server
 * reading forever. `Connection: close` is not sent: with it Node shuts the
 * socket as soon as the response is written, which resets a client that is
 * still writing its body, and that client then never reads the 413.
 */
export function send(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: Uint8Array | string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const unread = !req.complete;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
  if (unread) {
    req.resume();
    const socket = req.socket;
    const timer = setTimeout(() => socket.destroy(), DRAIN_GRACE_MS).unref();
    req.once('end', () => clearTimeout(timer));
  }
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(req, res, status, 'application/json', JSON.stringify(value), headers);
}
