// The import pipeline on real files and real case files: bad input imports
// what is good and reports the rest by line; a redaction corpus leaves no
// raw personal value anywhere in the SQLite files; an interrupted import
// resumes without duplicates.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../../src/core';
import { createAnalysisPool } from '../../../src/main/analysis';
import { importAndAnalyse } from '../../../src/main/analysis/import-and-analyse';
import { importFile } from '../../../src/main/ingest/import-file';
import { BUILTIN_POLICIES } from '../../../src/main/ingest/redaction';
import { parseStreamRule } from '../../../src/main/ingest/stream-rules';
import { CaseStore } from '../../../src/main/store';
import { useTempDir } from '../../helpers/temp-dir';

const tmp = useTempDir();
const none = { redaction: BUILTIN_POLICIES.none! };
const lz4js = createRequire(import.meta.url)('lz4js') as { compress(b: Uint8Array): Uint8Array };

function openCase(name = 'case.db'): CaseStore {
  return CaseStore.open(join(tmp(), name), { create: true });
}

function allEvents(store: CaseStore) {
  return store.db.prepare('SELECT e.seq, e.line, e.original, e.canonical, e.fields, s.key FROM events e JOIN streams s ON s.id = e.stream_id ORDER BY e.id').all() as {
    seq: number;
    line: number;
    original: string;
    canonical: string;
    fields: string | null;
    key: string;
  }[];
}

const numbered = (n: number, from = 1): string[] => Array.from({ length: n }, (_, i) => `line ${i + from} svc=${(i + from) % 7} took ${((i + from) * 37) % 1000} ms`);

describe('bad input', () => {
  it('invalid UTF-8: every line is imported, the bad ones repaired with U+FFFD and reported by line', async () => {
    const file = join(tmp(), 'mixed.log');
    const lines = numbered(10).map((l) => Buffer.from(l));
    lines[3] = Buffer.concat([Buffer.from('line 4 has '), Buffer.from([0xc3, 0x28]), Buffer.from(' bad bytes')]);
    lines[6] = Buffer.concat([Buffer.from('line 7 '), Buffer.from([0xff])]);
    writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
    const store = openCase();
    try {
      const s = await importFile(store, file, none);
      expect(s.source).toMatchObject({ events: 10, linesDone: 10, problems: 2, status: 'complete' });
      expect(s.problems.map((p) => [p.line, p.reason])).toEqual([
        [4, 'invalid UTF-8; the bad bytes were replaced with U+FFFD'],
        [7, 'invalid UTF-8; the bad bytes were replaced with U+FFFD'],
      ]);
      const events = allEvents(store);
      expect(events[3]!.original).toBe('line 4 has \uFFFD( bad bytes');
      expect(events.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(store.sources.problems(s.source.id).map((p) => p.line)).toEqual([4, 7]);
    } finally {
      store.close();
    }
  });

  it('truncated .gz: the complete lines before the cut are imported, the cut is reported', async () => {
    const lines = numbered(20_000);
    const gz = zlib.gzipSync(`${lines.join('\n')}\n`);
    const file = join(tmp(), 'cut.log.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const store = openCase();
    try {
      const s = await importFile(store, file, none);
      const events = allEvents(store);
      const k = events.length;
      expect(k).toBeGreaterThan(5000);
      expect(k).toBeLessThan(20_000);
      // Exactly the first k lines, in order: nothing invented, nothing skipped.
      expect(events.map((e) => e.original)).toEqual(lines.slice(0, k));
      expect(s.source).toMatchObject({ compression: 'gzip', status: 'complete', problems: 1, events: k });
      expect(s.problems).toHaveLength(1);
      expect(s.problems[0]!.line).toBe(k + 1);
      expect(s.problems[0]!.reason).toMatch(/^input ends early \(gzip: unexpected end of file\); this incomplete line was skipped$/);
      expect((await importFile(store, file, none)).outcome).toBe('already-imported');
    } finally {
      store.close();
    }
  });

  it('JSON lines with broken lines: good lines imported with their line numbers, broken ones reported', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify({ ts: 1_700_000_000 + i, level: 'info', msg: `request ${i + 1} ok`, n: i + 1 }));
    rows[2] = '{"ts": 1700000002, "msg": "cut here';
    rows[7] = 'not json at all';
    rows[9] = '["an","array"]';
    const file = join(tmp(), 'app.jsonl');
    writeFileSync(file, `${rows.join('\n')}\n\n`);
    const store = openCase();
    try {
      const s = await importFile(store, file, none);
      expect(s.source).toMatchObject({ kind: 'jsonl', events: 9, problems: 3, linesDone: 13 });
      expect(s.problems.map((p) => p.line)).toEqual([3, 8, 10]);
      expect(s.problems.map((p) => p.reason)).toEqual([
        expect.stringMatching(/^invalid JSON: /),
        expect.stringMatching(/^invalid JSON: /),
        'expected a JSON object, got an array',
      ]);
      const events = allEvents(store);
      expect(events.map((e) => e.line)).toEqual([1, 2, 4, 5, 6, 7, 9, 11, 12]);
      expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(events[0]).toMatchObject({ original: 'request 1 ok', canonical: 'info request <NUM> ok' });
      expect(JSON.parse(events[0]!.fields!)).toEqual({ level: 'info', n: 1 });
    } finally {
      store.close();
    }
  });

  it('zstd and lz4 files import like the plain file; a missing file is a one-line error', async () => {
    const lines = numbered(3000);
    const text = `${lines.join('\n')}\n`;
    writeFileSync(join(tmp(), 'a.log.zst'), zlib.zstdCompressSync(Buffer.from(text)));
    writeFileSync(join(tmp(), 'a.log.lz4'), lz4js.compress(Buffer.from(text)));
    const store = openCase();
    try {
      for (const name of ['a.log.zst', 'a.log.lz4']) {
        const s = await importFile(store, join(tmp(), name), none);
        expect(s.source.events, name).toBe(3000);
        expect(s.source.compression).toBe(name.endsWith('zst') ? 'zstd' : 'lz4');
        // Streams are named like `analyze` names them: the base name, without the
        // compression suffix; a second file of that name gets its folder as prefix.
        expect(s.source.defaultStream).toBe(name.endsWith('zst') ? 'a.log' : `${basename(tmp())}/a.log`);
        const stream = store.events.streamByKey(s.source.defaultStream)!;
        expect(store.events.range(stream.id, 0, 3000).map((e) => e.original)).toEqual(lines);
      }
      await expect(importFile(store, join(tmp(), 'nope.log'), none)).rejects.toThrow(/nope\.log: no such file$/);
      await expect(importFile(store, tmp(), none)).rejects.toThrow(/is a directory$/);
    } finally {
      store.close();
    }
  });

  it('user stream rules route events by their (redacted) text', async () => {
    const file = join(tmp(), 'multi.log');
    writeFileSync(file, 'svc=api GET /a\nsvc=db query\nno service here\nsvc=api GET /b\n');
    const store = openCase();
    try {
      await importFile(store, file, { ...none, streamRules: [parseStreamRule('svc=(\\w+)=>service/$1')] });
      expect(store.events.streamList().map((s) => [s.key, s.events])).toEqual([
        ['service/api', 2],
        ['service/db', 1],
        ['multi.log', 1],
      ]);
    } finally {
      store.close();
    }
  });
});

describe('structured sources', () => {
  it('an OTLP-JSON file (Collector file exporter) becomes service/signal streams', async () => {
    const attr = (key: string, v: string) => ({ key, value: { stringValue: v } });
    const logs = {
      resourceLogs: [
        {
          resource: { attributes: [attr('service.name', 'checkout')] },
          scopeLogs: [{ logRecords: [
            { timeUnixNano: '1767600000000000000', severityNumber: 9, body: { stringValue: 'order 1 placed by alice@example.com' } },
            { timeUnixNano: '1767600001000000000', severityNumber: 17, body: { stringValue: 'payment failed' } },
          ] }],
        },
      ],
    };
    const traces = { resourceSpans: [{ resource: { attributes: [attr('service.name', 'checkout')] }, scopeSpans: [{ spans: [
      { name: 'POST /pay', kind: 2, traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', startTimeUnixNano: '1767600000000000000', endTimeUnixNano: '1767600000250000000', status: { code: 2 } },
    ] }] }] };
    const metrics = { resourceMetrics: [{ resource: { attributes: [attr('service.name', 'db')] }, scopeMetrics: [{ metrics: [
      { name: 'queue.depth', gauge: { dataPoints: [{ timeUnixNano: '1767600000000000000', asInt: '3' }, { timeUnixNano: '1767600010000000000', asInt: '4' }] } },
    ] }] }] };
    const file = join(tmp(), 'otel.json');
    writeFileSync(file, [logs, traces, metrics].map((r) => JSON.stringify(r)).join('\n') + '\n{"resourceLogs": [oops\n');
    const store = openCase();
    try {
      const s = await importFile(store, file, { redaction: BUILTIN_POLICIES.default! });
      expect(s.source).toMatchObject({ kind: 'otlp-json', events: 5, problems: 1, linesDone: 4 });
      expect(s.problems[0]).toMatchObject({ line: 4 });
      expect(store.events.streamList().map((x) => [x.key, x.events])).toEqual([
        ['checkout/logs/info', 1],
        ['checkout/logs/error', 1],
        ['checkout/traces/error', 1],
        ['db/metrics/queue.depth', 2],
      ]);
      const [info] = store.events.range(store.events.streamByKey('checkout/logs/info')!.id, 0, 1);
      // Severity 9 without text reads INFO; the e-mail is pseudonymised at the door, then the number masked.
      expect(info!.original).toMatch(/^INFO order 1 placed by <EMAIL:[a-z]{12}>$/);
      expect(info!.canonical).toBe("INFO order <NUM> placed by <EMAIL>");
      expect(info!.timestamp).toBe(1_767_600_000_000);
      expect(info!.line).toBe(1);
    } finally {
      store.close();
    }
  });

  it('a NAB CSV series: one event per row, in file order, with its timestamp', async () => {
    const file = resolve(import.meta.dirname, '../../../../shared/data/nab/data/realKnownCause/ec2_request_latency_system_failure.csv');
    const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    const store = openCase();
    try {
      const s = await importFile(store, file, none);
      expect(s.source).toMatchObject({ kind: 'csv', events: rows.length - 1, problems: 0 });
      const events = store.events.range(store.events.streamByKey(s.source.defaultStream)!.id, 0, rows.length);
      const [ts, value] = rows[1]!.split(',');
      expect(events[0]).toMatchObject({ original: `value=${value}`, canonical: `value=${value}`, line: 2, fields: { value: Number(value) } });
      expect(events[0]!.timestamp).toBe(Date.parse(`${ts!.replace(' ', 'T')}Z`));
      expect(events.map((e) => e.line)).toEqual(rows.slice(1).map((_, i) => i + 2));
    } finally {
      store.close();
    }
  });
});

describe('resume', () => {
  it('an import stopped after a committed batch resumes where it stopped, without duplicates', async () => {
    const lines = numbered(25_000);
    const file = join(tmp(), 'big.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const store = openCase();
    try {
      const controller = new AbortController();
      let commits = 0;
      await expect(
        importFile(store, file, { ...none, batchSize: 4000, signal: controller.signal, onCommit: () => ++commits === 2 && controller.abort() }),
      ).rejects.toThrow(/abort/i);
      const partial = store.sources.list()[0]!;
      expect(partial.status).toBe('importing');
      expect(partial.events).toBe(partial.linesDone);
      expect(partial.events).toBeGreaterThanOrEqual(8000);
      expect(partial.events).toBeLessThan(25_000);
      const s = await importFile(store, file, { ...none, batchSize: 4000 });
      expect(s.outcome).toBe('resumed');
      expect(s.eventsAdded).toBe(25_000 - partial.events);
      expect(allEvents(store).map((e) => e.original)).toEqual(lines);
      expect(store.stats().events).toBe(25_000);
    } finally {
      store.close();
    }
  });
});

// Each kind of personal data the default policy handles, in text and JSON.
const PII = {
  email1: 'Alice.Smith@example.com',
  email2: 'bob.jones@corp-mail.example.org',
  ipv4: '203.0.113.77',
  ipv6: '2001:db8:85a3::8a2e:370:7334',
  card: '4111 1111 1111 1111',
  iban: 'DE89370400440532013000',
  phone: '+44 20 7946 0958',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIn0.dGhpc2lzYXNpZ25hdHVyZQ',
  password: 'correcthorsebatterystaple',
  awsKey: 'AKIAZZZZZZZZZZZZZZZZ',
  bearer: 'bEaRerTokenValue123456',
};

function piiCorpus(): { text: string; json: string } {
  const text: string[] = [];
  for (let i = 0; i < 60; i++) {
    const who = i % 2 === 0 ? PII.email1 : PII.email2;
    text.push(`2026-01-05T08:00:${String(i).padStart(2, '0')}Z auth INFO login user=${who} from ${PII.ipv4} ok`);
    if (i % 10 === 3) text.push(`billing INFO card ${PII.card} iban ${PII.iban} phone ${PII.phone}`);
    if (i % 10 === 6) text.push(`api WARN token ${PII.jwt} password=${PII.password} key ${PII.awsKey} via ${PII.ipv6}`);
    if (i % 10 === 8) text.push(`api INFO Authorization: Bearer ${PII.bearer}`);
  }
  const json = [
    JSON.stringify({ ts: 1_767_600_000, msg: `signup ${PII.email1}`, user: { email: PII.email1, password: PII.password }, ip: PII.ipv4 }),
    JSON.stringify({ ts: 1_767_600_001, msg: 'payment', card: PII.card, iban: PII.iban, phone: PII.phone }),
    `{"ts": 1767600002, "msg": "broken line with ${PII.email2} and ${PII.card}`, // reported, must not leak via the reason
    JSON.stringify({ ts: 1_767_600_003, msg: `login ${PII.email1}`, headers: { authorization: `Bearer ${PII.bearer}` } }),
  ].join('\n');
  return { text: text.join('\n'), json };
}

function variants(value: string): string[] {
  const out = new Set([value, value.toLowerCase(), value.replace(/[ -]/g, '')]);
  return [...out].filter((v) => v.length >= 6);
}

function caseBytes(path: string): string {
  // latin1 keeps every byte as one char; lowercase because FTS stores folded tokens.
  return ['', '-wal', '-shm']
    .filter((suffix) => existsSync(path + suffix))
    .map((suffix) => readFileSync(path + suffix).toString('latin1'))
    .join('\n')
    .toLowerCase();
}

describe('redaction corpus', () => {
  it('no raw personal value reaches the case file (db, wal, shm); pseudonyms stay consistent', async () => {
    const corpus = piiCorpus();
    writeFileSync(join(tmp(), 'auth.log'), corpus.text);
    writeFileSync(join(tmp(), 'app.jsonl'), corpus.json);
    const store = openCase('pii.db');
    const pool = createAnalysisPool(1);
    const path = store.path;
    try {
      const params = { ...DEFAULT_PARAMS, windowing: { kind: 'count' as const, baseline: 20, window: 10, hop: 10 }, permutations: 50 };
      const result = await importAndAnalyse(store, pool, [join(tmp(), 'auth.log'), join(tmp(), 'app.jsonl')], {
        import: { redaction: BUILTIN_POLICIES.default! },
        params,
      });
      expect(result.analysis!.windows).toBeGreaterThan(0);
      const [auth, app] = result.files.map((f) => ('summary' in f ? f.summary.source : null));
      // Hand count: 60 login lines with an email and an IPv4; 6 billing lines; 6 token lines; 6 bearer lines.
      expect(auth!.redactionCounts).toEqual({ email: 60, ipv4: 60, card: 6, iban: 6, phone: 6, jwt: 6, secret: 6 + 6 + 6, ipv6: 6 });
      expect(app!.problems).toBe(1);

      const events = allEvents(store);
      const logins = events.filter((e) => e.original.includes('login user='));
      const pseudonym = (e: { original: string }) => /user=<EMAIL:([a-z]{12})>/.exec(e.original)![1];
      expect(new Set(logins.filter((_, i) => i % 2 === 0).map(pseudonym)).size).toBe(1);
      expect(new Set(logins.filter((_, i) => i % 2 === 1).map(pseudonym)).size).toBe(1);
      expect(pseudonym(logins[0]!)).not.toBe(pseudonym(logins[1]!));
      // The same email in a JSON message and field gets the same pseudonym as in the text file.
      const signup = events.find((e) => e.original.startsWith('signup'))!;
      expect(signup.original).toBe(`signup <EMAIL:${pseudonym(logins[0]!)}>`);
      expect(JSON.parse(signup.fields!).user).toEqual({ email: `<EMAIL:${pseudonym(logins[0]!)}>`, password: '<SECRET>' });

      const open = caseBytes(path);
      for (const [kind, value] of Object.entries(PII)) for (const v of variants(value)) expect(open.includes(v.toLowerCase()), `${kind} "${v}" while open`).toBe(false);
    } finally {
      await pool.close();
      store.close();
    }
    const closed = caseBytes(path);
    expect(closed.length).toBeGreaterThan(10_000);
    for (const [kind, value] of Object.entries(PII)) for (const v of variants(value)) expect(closed.includes(v.toLowerCase()), `${kind} "${v}" after close`).toBe(false);
    // The check itself can fail: the same corpus imported without redaction is found.
    const plain = openCase('plain.db');
    await importFile(plain, join(tmp(), 'auth.log'), none);
    plain.close();
    expect(caseBytes(plain.path).includes(PII.email1.toLowerCase())).toBe(true);
  });
});

describe('determinism across cases', () => {
  it('the same file in two new cases (different pseudonym keys) gives byte-identical windows', async () => {
    const corpus = piiCorpus();
    writeFileSync(join(tmp(), 'auth.log'), corpus.text);
    const params = { ...DEFAULT_PARAMS, windowing: { kind: 'count' as const, baseline: 20, window: 10, hop: 10 }, permutations: 50 };
    const windowsOf = async (name: string): Promise<{ canonical: string[]; original: string[]; windows: string }> => {
      const store = openCase(name);
      const pool = createAnalysisPool(1);
      try {
        await importAndAnalyse(store, pool, [join(tmp(), 'auth.log')], { import: { redaction: BUILTIN_POLICIES.default! }, params });
        const events = allEvents(store);
        const windows = store.db.prepare('SELECT * FROM windows ORDER BY id').all();
        return { canonical: events.map((e) => e.canonical), original: events.map((e) => e.original), windows: windows.map((w) => JSON.stringify(w)).join('\n') };
      } finally {
        await pool.close();
        store.close();
      }
    };
    const a = await windowsOf('a.db');
    const b = await windowsOf('b.db');
    // The stored texts differ (each case has its own key) ...
    expect(a.original).not.toEqual(b.original);
    // ... the engine's texts and every window do not.
    expect(a.canonical).toEqual(b.canonical);
    expect(a.windows.length).toBeGreaterThan(100);
    expect(a.windows).toBe(b.windows);
  });
});
