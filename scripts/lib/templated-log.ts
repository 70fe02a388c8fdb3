/**
 * Deterministic synthetic service logs for the benchmark and the acceptance
 * tests: a mix of templated lines from five services (with realistic variable
 * fields and a few rare-but-normal templates), plus bursts of lines from
 * templates that never occur elsewhere. Same options, same bytes.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface TemplatedLogOptions {
  lines: number;
  /** Start line of each burst. */
  bursts: number[];
  burstLength: number;
  seed: number;
}

export interface TemplatedLog {
  lines: string[];
  /** For each line, true when it belongs to a burst. */
  burst: boolean[];
}

type Gen = ReturnType<typeof xoroshiro128plus>;

function pick<T>(g: Gen, items: readonly T[]): T {
  return items[(g.next() >>> 0) % items.length]!;
}
function int(g: Gen, lo: number, hi: number): number {
  return lo + ((g.next() >>> 0) % (hi - lo + 1));
}
function hex(g: Gen, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[(g.next() >>> 0) % 16];
  return s;
}
function ip(g: Gen): string {
  return `10.${int(g, 0, 3)}.${int(g, 0, 255)}.${int(g, 1, 254)}`;
}

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
const PATHS = ['/api/v1/orders', '/api/v1/users', '/api/v1/cart', '/api/v1/search', '/healthz', '/api/v1/payments'];
const TABLES = ['orders', 'users', 'sessions', 'inventory', 'payments'];

/** [weight, template] — weights are relative frequencies of normal lines. */
const NORMAL: Array<[number, (g: Gen) => string]> = [
  [30, (g) => `api INFO request method=GET path=${pick(g, PATHS)} status=200 duration_ms=${int(g, 2, 180)} trace=${hex(g, 16)}`],
  [12, (g) => `api INFO request method=POST path=${pick(g, PATHS)} status=201 duration_ms=${int(g, 5, 400)} trace=${hex(g, 16)}`],
  [3, (g) => `api WARN request method=GET path=${pick(g, PATHS)} status=404 duration_ms=${int(g, 1, 30)} trace=${hex(g, 16)}`],
  [14, (g) => `auth INFO login ok user=${pick(g, USERS)} ip=${ip(g)} session=${hex(g, 12)}`],
  [4, (g) => `auth INFO logout user=${pick(g, USERS)} session=${hex(g, 12)}`],
  [1, (g) => `auth WARN login failed user=${pick(g, USERS)} ip=${ip(g)} reason=bad_password`],
  [15, (g) => `db DEBUG query table=${pick(g, TABLES)} rows=${int(g, 0, 500)} elapsed_ms=${int(g, 1, 90)}`],
  [3, (g) => `db INFO checkpoint complete pages=${int(g, 100, 9000)} elapsed_ms=${int(g, 50, 900)}`],
  [8, (g) => `cache INFO hit key=${pick(g, TABLES)}:${int(g, 1, 99999)} ttl=${int(g, 10, 3600)}`],
  [4, (g) => `cache INFO miss key=${pick(g, TABLES)}:${int(g, 1, 99999)}`],
  [5, (g) => `worker INFO job done queue=${pick(g, ['email', 'billing', 'export'])} id=${hex(g, 8)} elapsed_ms=${int(g, 20, 5000)}`],
  [0.5, (g) => `worker WARN job retry queue=${pick(g, ['email', 'billing', 'export'])} id=${hex(g, 8)} attempt=${int(g, 2, 4)}`],
  [0.3, (g) => `db WARN slow query table=${pick(g, TABLES)} elapsed_ms=${int(g, 1000, 4000)}`],
];

/** Templates that only bursts use: an incident the baseline has never seen. */
const UNUSUAL: Array<(g: Gen) => string> = [
  (g) => `db ERROR connection pool exhausted active=${int(g, 95, 100)} waiting=${int(g, 10, 400)} host=${ip(g)}`,
  (g) => `api ERROR upstream timeout path=${pick(g, PATHS)} after_ms=30000 trace=${hex(g, 16)}`,
  (g) => `kernel: Out of memory: Killed process ${int(g, 1000, 60000)} (java) total-vm:${int(g, 1e6, 9e6)}kB`,
  (g) => `worker FATAL panic: runtime error: index out of range [${int(g, 5, 90)}] with length ${int(g, 0, 4)} goroutine ${int(g, 1, 900)}`,
  (g) => `auth ERROR certificate verify failed: unable to get local issuer certificate depth=${int(g, 0, 3)}`,
];

/**
 * The log line by line, without holding it (benchmarks write gigabytes):
 * exactly the lines and burst flags `templatedLog` returns.
 */
export function* templatedLines(options: TemplatedLogOptions): Generator<{ line: string; burst: boolean }> {
  const g = xoroshiro128plus(options.seed);
  const total = NORMAL.reduce((s, [w]) => s + w, 0);
  let ts = Date.UTC(2026, 0, 5, 8, 0, 0);
  const starts = new Set(options.bursts);
  let burstLeft = 0;
  for (let i = 0; i < options.lines; i++) {
    if (starts.has(i)) burstLeft = options.burstLength;
    ts += int(g, 1, 400);
    const stamp = new Date(ts).toISOString();
    let body: string;
    let burst = false;
    if (burstLeft > 0) {
      body = pick(g, UNUSUAL)(g);
      burstLeft--;
      burst = true;
    } else {
      let r = ((g.next() >>> 0) / 0x100000000) * total;
      let t = NORMAL[0]![1];
      for (const [w, f] of NORMAL) {
        if (r < w) {
          t = f;
          break;
        }
        r -= w;
      }
      body = t(g);
    }
    yield { line: `${stamp} ${body}`, burst };
  }
}

export function templatedLog(options: TemplatedLogOptions): TemplatedLog {
  const lines: string[] = [];
  const burst: boolean[] = [];
  for (const l of templatedLines(options)) {
    lines.push(l.line);
    burst.push(l.burst);
  }
  return { lines, burst };
}
