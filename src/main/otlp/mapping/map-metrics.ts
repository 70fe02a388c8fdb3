import type { FieldValue } from '../event-sink';
import type { MapOutcome } from './map-outcome';
import { has, readArray, readDouble, readEnum, readInt64, readKeyValues, readNanosAsMs, readObject, readString, type Attributes } from './otlp-values';
import { addFields, roundedNumber, withAttributes } from './render';
import { metricStream } from './stream-key';
import { forEachScopeItem } from './walk-resources';

export const TEMPORALITY_NAMES: readonly string[] = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'];
const NO_RECORDED_VALUE = 1;

/**
 * Quantile q of a bucketed distribution, linear within the bucket that holds
 * it. `lower[i]`/`upper[i]` bound bucket i; open ends are clamped to the
 * point's min/max when it has them.
 */
export function bucketQuantile(counts: readonly number[], lower: readonly number[], upper: readonly number[], q: number): number {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total === 0) return NaN;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    if (seen + c >= rank) {
      const lo = lower[i]!;
      const hi = upper[i]!;
      if (!Number.isFinite(lo)) return hi;
      if (!Number.isFinite(hi)) return lo;
      return lo + ((hi - lo) * (rank - seen)) / c;
    }
    seen += c;
  }
  return upper[upper.length - 1]!;
}

interface PointContext {
  service: string;
  metric: string;
  type: string;
  unit: string;
  base: Record<string, FieldValue>;
}

/** Walks an ExportMetricsServiceRequest into events: one per data point. */
export function mapMetrics(request: Record<string, unknown>, out: MapOutcome): void {
  forEachScopeItem(request, ['resourceMetrics', 'scopeMetrics', 'metrics'], out, (m, mPath, ctx) => {
    if (!m) return;
    const name = readString(m.name, `${mPath}.name`);
    const unit = readString(m.unit, `${mPath}.unit`);
    readString(m.description, `${mPath}.description`);
    const base: Record<string, FieldValue> = { ...ctx.resFields, 'otel.metric': name };
    if (unit) base['otel.unit'] = unit;
    if (ctx.scopeName) base['otel.scope'] = ctx.scopeName;
    mapMetric(m, mPath, { service: ctx.service, metric: name || 'unnamed', type: '', unit, base }, out);
  });
}

function mapMetric(m: Record<string, unknown>, path: string, ctx: PointContext, out: MapOutcome): void {
  const kinds = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;
  const kind = kinds.find((k) => has(m, k));
  if (!kind) {
    out.warn(`${path}: metric "${ctx.metric}" has no data`);
    return;
  }
  const data = readObject(m[kind], `${path}.${kind}`) ?? {};
  const dPath = `${path}.${kind}`;
  if (kind === 'sum' || kind === 'histogram' || kind === 'exponentialHistogram') {
    readEnum(data.aggregationTemporality, `${dPath}.aggregationTemporality`, TEMPORALITY_NAMES);
  }
  const points = readArray(data.dataPoints, `${dPath}.dataPoints`);
  const c: PointContext = { ...ctx, type: kind };
  for (let i = 0; i < points.length; i++) {
    const pPath = `${dPath}.dataPoints[${i}]`;
    const p = readObject(points[i], pPath);
    out.records++;
    if (!p) continue;
    const attrs = readKeyValues(p.attributes, `${pPath}.attributes`, out);
    const time = readNanosAsMs(p.timeUnixNano, `${pPath}.timeUnixNano`);
    readNanosAsMs(p.startTimeUnixNano, `${pPath}.startTimeUnixNano`);
    const flags = readInt64(p.flags, `${pPath}.flags`, true);
    readArray(p.exemplars, `${pPath}.exemplars`);
    const fields: Record<string, FieldValue> = {};
    let summary: string | undefined;
    if (flags & NO_RECORDED_VALUE) summary = 'no recorded value';
    else if (kind === 'gauge' || kind === 'sum') summary = numberPoint(p, pPath, fields);
    else if (kind === 'histogram') summary = histogramPoint(p, pPath, fields, out);
    else if (kind === 'exponentialHistogram') summary = expHistogramPoint(p, pPath, fields);
    else summary = summaryPoint(p, pPath, fields);
    if (summary === undefined) continue;
    pushPoint(c, attrs, time || out.receivedAt, summary, fields, out);
  }
}

function pushPoint(c: PointContext, attrs: Attributes, timestamp: number | undefined, summary: string, values: Record<string, FieldValue>, out: MapOutcome): void {
  const fields: Record<string, FieldValue> = {};
  addFields(fields, attrs);
  Object.assign(fields, c.base, values, { 'otel.metric_type': c.type });
  out.events.push({
    stream: metricStream(c.service, c.metric),
    timestamp,
    text: withAttributes(`${c.metric} ${c.type} ${summary}`, attrs),
    kind: 'metric',
    fields,
    // Rounded to three digits already (roundedNumber); canonicalising would mask every value.
    verbatim: true,
  });
}

function numberPoint(p: Record<string, unknown>, path: string, fields: Record<string, FieldValue>): string {
  const value = has(p, 'asInt') ? readInt64(p.asInt, `${path}.asInt`) : readDouble(p.asDouble, `${path}.asDouble`);
  fields['otel.value'] = value;
  return `value=${roundedNumber(value)}`;
}

function optionalDouble(p: Record<string, unknown>, key: string, path: string): number | undefined {
  return !has(p, key) ? undefined : readDouble(p[key], `${path}.${key}`);
}

function distributionText(count: number, sum: number | undefined, min: number | undefined, max: number | undefined, quantiles: [string, number][], fields: Record<string, FieldValue>): string {
  fields['otel.count'] = count;
  let text = `count=${roundedNumber(count)}`;
  for (const [name, v] of [['sum', sum], ['min', min], ['max', max]] as const) {
    if (v === undefined) continue;
    fields[`otel.${name}`] = v;
    text += ` ${name}=${roundedNumber(v)}`;
  }
  for (const [name, v] of quantiles) {
    if (Number.isNaN(v)) continue;
    fields[`otel.${name}`] = v;
    text += ` ${name}=${roundedNumber(v)}`;
  }
  return text;
}

const QUANTILES: [string, number][] = [['p50', 0.5], ['p90', 0.9], ['p99', 0.99]];

function histogramPoint(p: Record<string, unknown>, path: string, fields: Record<string, FieldValue>, out: MapOutcome): string | undefined {
  const count = readInt64(p.count, `${path}.count`, true);
  const sum = optionalDouble(p, 'sum', path);
  const min = optionalDouble(p, 'min', path);
  const max = optionalDouble(p, 'max', path);
  const counts = readArray(p.bucketCounts, `${path}.bucketCounts`).map((v, i) => readInt64(v, `${path}.bucketCounts[${i}]`, true));
  const bounds = readArray(p.explicitBounds, `${path}.explicitBounds`).map((v, i) => readDouble(v, `${path}.explicitBounds[${i}]`));
  if (counts.length > 0 && counts.length !== bounds.length + 1) {
    out.reject(path, `histogram has ${counts.length} bucket counts for ${bounds.length} bounds (needs bounds + 1)`);
    return undefined;
  }
  const lower = [min ?? -Infinity, ...bounds];
  const upper = [...bounds, max ?? Infinity];
  const quantiles = counts.length > 0 ? QUANTILES.map(([n, q]): [string, number] => [n, bucketQuantile(counts, lower, upper, q)]) : [];
  return distributionText(count, sum, min, max, quantiles, fields);
}

function expHistogramPoint(p: Record<string, unknown>, path: string, fields: Record<string, FieldValue>): string {
  const count = readInt64(p.count, `${path}.count`, true);
  const sum = optionalDouble(p, 'sum', path);
  const min = optionalDouble(p, 'min', path);
  const max = optionalDouble(p, 'max', path);
  const scale = readInt64(p.scale, `${path}.scale`);
  const zeroCount = readInt64(p.zeroCount, `${path}.zeroCount`, true);
  const base = 2 ** (2 ** -scale);
  // Buckets in ascending value order: negative (reversed), zero, positive.
  const counts: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  const side = (key: 'negative' | 'positive'): { offset: number; counts: number[] } => {
    const b = readObject(p[key], `${path}.${key}`);
    const offset = readInt64(b?.offset, `${path}.${key}.offset`);
    const c = readArray(b?.bucketCounts, `${path}.${key}.bucketCounts`).map((v, i) => readInt64(v, `${path}.${key}.bucketCounts[${i}]`, true));
    return { offset, counts: c };
  };
  const neg = side('negative');
  const pos = side('positive');
  for (let i = neg.counts.length - 1; i >= 0; i--) {
    counts.push(neg.counts[i]!);
    lower.push(-(base ** (neg.offset + i + 1)));
    upper.push(-(base ** (neg.offset + i)));
  }
  counts.push(zeroCount);
  lower.push(0);
  upper.push(0);
  for (let i = 0; i < pos.counts.length; i++) {
    counts.push(pos.counts[i]!);
    lower.push(base ** (pos.offset + i));
    upper.push(base ** (pos.offset + i + 1));
  }
  fields['otel.scale'] = scale;
  const quantiles = QUANTILES.map(([n, q]): [string, number] => [n, bucketQuantile(counts, lower, upper, q)]);
  return distributionText(count, sum, min, max, quantiles, fields);
}

function summaryPoint(p: Record<string, unknown>, path: string, fields: Record<string, FieldValue>): string {
  const count = readInt64(p.count, `${path}.count`, true);
  const sum = readDouble(p.sum, `${path}.sum`);
  const quantiles = readArray(p.quantileValues, `${path}.quantileValues`).map((q, i): [string, number] => {
    const qPath = `${path}.quantileValues[${i}]`;
    const o = readObject(q, qPath) ?? {};
    const quantile = readDouble(o.quantile, `${qPath}.quantile`);
    return [`q${roundedNumber(quantile)}`, readDouble(o.value, `${qPath}.value`)];
  });
  return distributionText(count, sum, undefined, undefined, quantiles, fields);
}
