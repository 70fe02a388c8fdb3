import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/main/evidence/atomic-write';
import { ZipEntryError, ZipReader, ZipUnreadableError } from '../../src/main/evidence/zip-reader';
import { writeZip, type ZipEntry } from '../../src/main/evidence/zip-writer';
import { tempDir } from './fixtures';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const ENTRIES: ZipEntry[] = [
  { path: 'manifest.json', data: enc('{"a":1}'), compress: true },
  { path: 'data/x/window.jsonl', data: enc('{"index":0,"text":"hello"}\n'.repeat(50)), compress: true },
  { path: 'report.pdf', data: enc('%PDF-1.3 stored, not deflated'), compress: false },
  { path: 'empty.txt', data: new Uint8Array(0), compress: true },
];

/** Python's zipfile: an independent reader that also checks every CRC. */
function pythonZipInfo(path: string): string {
  return execFileSync('python3', [
    '-c',
    'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor i in z.infolist(): print(i.filename, i.file_size, i.compress_type, i.date_time, oct(i.external_attr >> 16))',
    path,
  ]).toString();
}

describe('zip writer and reader', () => {
  it('writes the same bytes in any time zone, readable by Python zipfile', () => {
    const dir = tempDir('zip');
    const a = writeZip(ENTRIES);
    const b = writeZip(ENTRIES);
    expect(Buffer.compare(a, b)).toBe(0);
    writeFileSync(join(dir, 'a.zip'), a);
    // Re-written in another time zone by a separate process: same bytes.
    const script = `import { writeZip } from ${JSON.stringify(join(process.cwd(), 'src/main/evidence/zip-writer.ts'))};
      const enc = (s) => new TextEncoder().encode(s);
      process.stdout.write(Buffer.from(writeZip(${JSON.stringify(ENTRIES.map((e) => ({ ...e, data: new TextDecoder().decode(e.data) })))}.map((e) => ({ ...e, data: enc(e.data) })))).toString('base64'));`;
    writeFileSync(join(dir, 'tz.mts'), script);
    const other = execFileSync(join(process.cwd(), 'node_modules/.bin/tsx'), [join(dir, 'tz.mts')], { env: { ...process.env, TZ: 'Pacific/Kiritimati' } }).toString();
    expect(Buffer.from(other, 'base64').equals(Buffer.from(a))).toBe(true);
    const info = pythonZipInfo(join(dir, 'a.zip')).trim().split('\n');
    expect(info).toEqual([
      'manifest.json 7 8 (1980, 1, 1, 0, 0, 0) 0o100644',
      'data/x/window.jsonl 1350 8 (1980, 1, 1, 0, 0, 0) 0o100644',
      'report.pdf 29 0 (1980, 1, 1, 0, 0, 0) 0o100644',
      'empty.txt 0 8 (1980, 1, 1, 0, 0, 0) 0o100644',
    ]);
  });

  it('reads back every entry', () => {
    const zip = new ZipReader(writeZip(ENTRIES));
    expect(zip.paths()).toEqual(ENTRIES.map((e) => e.path));
    for (const e of ENTRIES) expect(Buffer.from(zip.read(e.path)).equals(Buffer.from(e.data))).toBe(true);
  });

  it('reads zips made by Info-ZIP', () => {
    const dir = tempDir('infozip');
    mkdirSync(join(dir, 'in/sub'), { recursive: true });
    writeFileSync(join(dir, 'in/a.txt'), 'alpha '.repeat(100));
    writeFileSync(join(dir, 'in/sub/b.txt'), 'beta');
    execFileSync('zip', ['-q', '-r', '-D', '../out.zip', '.'], { cwd: join(dir, 'in') });
    const zip = new ZipReader(readFileSync(join(dir, 'out.zip')));
    expect(zip.paths().sort()).toEqual(['a.txt', 'sub/b.txt']);
    expect(new TextDecoder().decode(zip.read('sub/b.txt'))).toBe('beta');
  });

  it('refuses what is not a whole zip', () => {
    const bytes = writeZip(ENTRIES);
    expect(() => new ZipReader(bytes.subarray(0, bytes.length - 30))).toThrow(/truncated/);
    expect(() => new ZipReader(bytes.subarray(0, 100))).toThrow(ZipUnreadableError);
    expect(() => new ZipReader(enc('%PDF-1.7 this is not a zip at all, just text long enough'))).toThrow(/not a zip archive/);
    expect(() => new ZipReader(new Uint8Array(0))).toThrow(/too short/);
  });

  it('refuses duplicate and unsafe names', () => {
    // Same-length names, patched in the local and central headers.
    const twice = writeZip([
      { path: 'a.json', data: enc('1'), compress: false },
      { path: 'b.json', data: enc('2'), compress: false },
    ]);
    const patch = (bytes: Uint8Array, from: string, to: string): Uint8Array => {
      const out = Uint8Array.from(bytes);
      const f = Buffer.from(from);
      let at = Buffer.from(out).indexOf(f);
      while (at >= 0) {
        out.set(Buffer.from(to), at);
        at = Buffer.from(out).indexOf(f, at + 1);
      }
      return out;
    };
    expect(() => new ZipReader(patch(twice, 'b.json', 'a.json'))).toThrow(/"a.json" appears twice/);
    expect(() => new ZipReader(patch(twice, 'b.json', '../etc'))).toThrow(/not a safe relative path/);
  });

  it('names an entry whose bytes were altered (CRC-32)', () => {
    const bytes = Uint8Array.from(writeZip(ENTRIES));
    const at = Buffer.from(bytes).indexOf(Buffer.from('stored, not'));
    bytes[at] = 'S'.charCodeAt(0);
    const zip = new ZipReader(bytes);
    expect(() => zip.read('report.pdf')).toThrow(ZipEntryError);
    expect(() => zip.read('report.pdf')).toThrow(/report\.pdf: CRC-32 does not match/);
    expect(new TextDecoder().decode(zip.read('manifest.json'))).toBe('{"a":1}');
  });
});

describe('atomic write', () => {
  it('replaces a file whole and leaves no temp file', () => {
    const dir = tempDir('atomic');
    const path = join(dir, 'bundle.zip');
    writeFileAtomic(path, enc('old'));
    writeFileAtomic(path, enc('new contents'));
    expect(readFileSync(path, 'utf8')).toBe('new contents');
    expect(readdirSync(dir)).toEqual(['bundle.zip']);
  });

  it('leaves the target as it was and cleans up when the rename fails', () => {
    const dir = tempDir('atomic-fail');
    // A directory in the way makes rename fail after the temp file was written.
    mkdirSync(join(dir, 'bundle.zip'));
    writeFileSync(join(dir, 'bundle.zip', 'keep'), 'x');
    expect(() => writeFileAtomic(join(dir, 'bundle.zip'), enc('new'))).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['bundle.zip']);
    expect(readdirSync(join(dir, 'bundle.zip'))).toEqual(['keep']);
  });
});
