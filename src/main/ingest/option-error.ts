/**
 * A bad option value found by a service (a malformed stream rule, an unknown
 * format). The CLI prints it as a usage error (exit 2); the app shows it next
 * to the field. Services do not import the CLI's UsageError.
 */
export class OptionError extends Error {
  override name = 'OptionError';
}
