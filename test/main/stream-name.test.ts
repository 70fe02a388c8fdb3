import { describe, expect, it } from 'vitest';
import { streamNameForFile } from '../../src/main/ingest/stream-name';

describe('streamNameForFile', () => {
  it('uses the base name without a compression suffix', () => {
    expect(streamNameForFile('/var/log/app.log.gz', new Set())).toBe('app.log');
    expect(streamNameForFile('app.log.ZST', new Set())).toBe('app.log');
    expect(streamNameForFile('rel/dir/app.log', new Set())).toBe('app.log');
  });
  it('disambiguates equal base names by parent folder, then by number', () => {
    expect(streamNameForFile('/a/x/app.log', new Set(['app.log']))).toBe('x/app.log');
    expect(streamNameForFile('/b/x/app.log', new Set(['app.log', 'x/app.log']))).toBe('x/app.log#2');
  });
});
