import type { Attributes } from './otlp-values';

/**
 * Stream keys for OTLP data (DESIGN.md §3): `service.name` + signal + band.
 * The band is the severity band for logs, the status for spans and the
 * metric name for metrics (a metric has no severity, and one stream per
 * metric keeps each baseline about one quantity). LLM I/O goes to
 * `gen_ai/<provider>/<model>/prompt|completion`, one pair of streams per model.
 */

export type SeverityBand = 'debug' | 'info' | 'warn' | 'error' | 'unspecified';

/** Service name of a resource; OTel's own default when absent. */
export function serviceName(resource: Attributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' && name !== '' ? name : 'unknown_service';
}

const TEXT_BANDS: [RegExp, SeverityBand][] = [
  [/^(trace|debug|dbg|verbose)/i, 'debug'],
  [/^(info|information|notice|informational)/i, 'info'],
  [/^(warn|warning)/i, 'warn'],
  [/^(err|error|fatal|crit|critical|alert|emerg|emergency|panic|severe)/i, 'error'],
];

/**
 * Severity band from SeverityNumber (1–8 debug, 9–12 info, 13–16 warn,
 * 17–24 error and fatal); when the number is unset, from the severity text.
 */
export function severityBand(severityNumber: number, severityText: string): SeverityBand {
  if (severityNumber >= 1 && severityNumber <= 8) return 'debug';
  if (severityNumber >= 9 && severityNumber <= 12) return 'info';
  if (severityNumber >= 13 && severityNumber <= 16) return 'warn';
  if (severityNumber >= 17) return 'error';
  for (const [re, band] of TEXT_BANDS) if (re.test(severityText)) return band;
  return 'unspecified';
}

/** Log stream keys made so far, by service and band: every record needs one, and the same string (hash computed once) serves every later Map lookup. */
const LOG_STREAMS = new Map<string, Partial<Record<SeverityBand, string>>>();
const MAX_SERVICES = 4096;

export function logStream(service: string, band: SeverityBand): string {
  let byBand = LOG_STREAMS.get(service);
  if (!byBand) {
    if (LOG_STREAMS.size >= MAX_SERVICES) LOG_STREAMS.clear();
    LOG_STREAMS.set(service, (byBand = {}));
  }
  return (byBand[band] ??= `${service}/logs/${band}`);
}

export function spanStream(service: string, error: boolean): string {
  return `${service}/traces/${error ? 'error' : 'ok'}`;
}

export function metricStream(service: string, metric: string): string {
  return `${service}/metrics/${metric}`;
}

export function genAiStream(provider: string, model: string, direction: 'prompt' | 'completion'): string {
  return `gen_ai/${provider}/${model}/${direction}`;
}
