/**
 * The renderer's Content-Security-Policy: nothing from the network, no inline
 * scripts or styles, no eval, no frames. The Electron session and the HTTP
 * mode send it as a header; index.html carries the same policy as a meta tag
 * (a test keeps the two equal).
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Header-only additions: browsers ignore frame-ancestors in a meta tag (and warn). */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`;
