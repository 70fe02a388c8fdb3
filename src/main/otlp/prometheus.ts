/**
 * A minimal Prometheus text-format (0.0.4) registry: labelled counters and
 * gauges read at scrape time. Enough for /metrics without a client library.
 */

type Labels = Record<string, string>;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  /** Sum over all label sets. */
  total(): number {
    let s = 0;
    for (const e of this.values.values()) s += e.value;
    return s;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const e of this.values.values()) lines.push(`${this.name}${labelText(e.labels)} ${numberText(e.value)}`);
    return lines.join('\n');
  }
}

/** A gauge, or a counter kept elsewhere, read at scrape time. */
export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number | { labels: Labels; value: number }[],
    private readonly type: 'gauge' | 'counter' = 'gauge',
  ) {}

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    const v = this.read();
    if (typeof v === 'number') lines.push(`${this.name} ${numberText(v)}`);
    else for (const e of v) lines.push(`${this.name}${labelText(e.labels)} ${numberText(e.value)}`);
    return lines.join('\n');
  }
}

export class MetricRegistry {
  private readonly metrics: (Counter | Gauge)[] = [];

  counter(name: string, help: string): Counter {
    const c = new Counter(name, help);
    this.metrics.push(c);
    return c;
  }

  gauge(name: string, help: string, read: () => number | { labels: Labels; value: number }[]): Gauge {
    const g = new Gauge(name, help, read);
    this.metrics.push(g);
    return g;
  }

  /** A counter whose value another component keeps (read at scrape time). */
  counterFrom(name: string, help: string, read: () => number | { labels: Labels; value: number }[]): Gauge {
    const g = new Gauge(name, help, read, 'counter');
    this.metrics.push(g);
    return g;
  }

  render(): string {
    return `${this.metrics.map((m) => m.render()).join('\n')}\n`;
  }
}
