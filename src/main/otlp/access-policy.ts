import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * Who may talk to the endpoints. Loopback by default; binding any other
 * address is an explicit opt-in that needs a bearer token, and with a token
 * every route (OTLP, gRPC, REST) checks it.
 */

export const MIN_TOKEN_LENGTH = 16;

/** A bind address or Host name that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Refuses an unsafe configuration before anything binds: the message says what to do. */
export function checkBindPolicy(host: string, token: string | undefined): void {
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`--token must be at least ${MIN_TOKEN_LENGTH} characters (got ${token.length})`);
  }
  if (!isLoopback(host) && token === undefined) {
    throw new Error(
      `refusing to listen on non-loopback address ${host} without a token: anyone who can reach it could send data and read findings. ` +
        `Pass --token <secret> (at least ${MIN_TOKEN_LENGTH} characters; clients send "Authorization: Bearer <secret>"), or bind 127.0.0.1.`,
    );
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Checks an Authorization header value against the token in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  return timingSafeEqual(digest(m[1]!), digest(token));
}

/**
 * Whether an HTTP Host header is acceptable. Without a token the server
 * trusts loopback clients, so a web page must not reach it through DNS
 * rebinding (evil.example resolving to 127.0.0.1): the Host must name a
 * loopback address or the bound host itself.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
  return isLoopback(name) || name === boundHost || `[${boundHost}]` === name;
}
