import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOtlpProto } from '../../src/main/otlp/proto-root';

const dir = join(__dirname, '../../resources/proto');

describe('vendored OTLP .proto files', () => {
  // The table in the README was written when the files were taken from the upstream tag.
  const rows = [...readFileSync(join(dir, 'README.md'), 'utf8').matchAll(/^\| (\S+) \| (\d+) \| `([0-9a-f]{64})` \|$/gm)];

  it('lists every file with its size and sha256', () => {
    expect(rows.length).toBe(12);
  });

  it.each(rows.map((r) => [r[1]!, Number(r[2]), r[3]!]))('%s is byte-identical to the upstream tag', (file, size, sha) => {
    const bytes = readFileSync(join(dir, file));
    expect(bytes.length).toBe(size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
  });

  it('loads the three collector services with their gRPC paths', () => {
    const proto = loadOtlpProto();
    expect(proto.signals.logs.grpcPath).toBe('/opentelemetry.proto.collector.logs.v1.LogsService/Export');
    expect(proto.signals.traces.grpcPath).toBe('/opentelemetry.proto.collector.trace.v1.TraceService/Export');
    expect(proto.signals.metrics.grpcPath).toBe('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export');
  });
});
