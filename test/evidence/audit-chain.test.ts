import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  checkAuditSlice,
  findChainBreak,
  GENESIS_HASH,
  hashAuditRow,
  nextAuditRow,
  type AuditEntry,
  type AuditRow,
} from '../../src/main/audit/audit-chain';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  for (let i = 0; i < n; i++) {
    const entry: AuditEntry = {
      at: `2025-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
      actor: 'analyst',
      action: i === 0 ? 'source.import' : i === 1 ? 'analysis.run' : 'anomaly.triage',
      subject: i < 2 ? `source:${i}` : `anomaly:${i}`,
      details: { step: i, note: 'é €' },
    };
    rows.push(nextAuditRow(rows[rows.length - 1], entry));
  }
  return rows;
}

describe('audit hash chain', () => {
  it('hashes a row as SHA-256 over its canonical JSON (checked with Python as a reference)', () => {
    const [row] = chain(1);
    expect(row!.prevHash).toBe(GENESIS_HASH);
    // Python's json with sorted keys and no spaces is RFC 8785 for this row
    // (ASCII keys, integers, strings without escapes).
    const python = execFileSync('python3', [
      '-c',
      'import sys, json, hashlib\nrow = json.loads(sys.argv[1])\ndel row["hash"]\nprint(hashlib.sha256(json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest())',
      JSON.stringify(row),
    ]).toString().trim();
    expect(row!.hash).toBe(python);
  });

  it('links each row to the previous one', () => {
    const rows = chain(5);
    rows.forEach((r, i) => {
      expect(r.seq).toBe(i + 1);
      expect(r.prevHash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]!.hash);
      expect(hashAuditRow(r)).toBe(r.hash);
    });
    expect(findChainBreak(rows)).toBeUndefined();
  });

  it('names the first row that was edited', () => {
    const rows = chain(6);
    rows[3] = { ...rows[3]!, details: { step: 3, note: 'changed' } };
    expect(findChainBreak(rows)).toEqual({ seq: 4, reason: expect.stringMatching(/hash does not match its contents/) });
  });

  it('names the row after a deletion, and a rewritten tail', () => {
    const rows = chain(6);
    expect(findChainBreak([...rows.slice(0, 2), ...rows.slice(3)])).toEqual({ seq: 4, reason: 'row 4 follows row 2: rows in between are missing' });
    // Row 3 edited and re-hashed (an attacker without the later rows' cooperation): row 4 no longer links.
    const forged = nextAuditRow(rows[1], { ...rows[2]!, details: { forged: true } });
    expect(findChainBreak([...rows.slice(0, 2), forged, ...rows.slice(3)])).toEqual({
      seq: 4,
      reason: 'its prevHash is not the hash of row 3: the chain was cut or rewritten here',
    });
    expect(findChainBreak(rows.slice(1))).toEqual({ seq: 2, reason: 'the chain starts at row 2, not 1' });
  });

  it('checks a non-contiguous slice that ends at the head', () => {
    const rows = chain(8);
    const head = { seq: 8, hash: rows[7]!.hash };
    const slice = [rows[0]!, rows[1]!, rows[4]!, rows[7]!];
    expect(checkAuditSlice(slice, head)).toEqual([]);
    expect(checkAuditSlice(slice.slice(0, 3), head)).toEqual([expect.stringMatching(/the last row is 5 .*names head 8/)]);
    const edited = [...slice];
    edited[2] = { ...rows[4]!, actor: 'mallory' };
    expect(checkAuditSlice(edited, head)).toEqual([expect.stringMatching(/^row 5: its hash does not match/)]);
    expect(checkAuditSlice([rows[1]!, rows[0]!, rows[7]!], head)).toEqual([expect.stringMatching(/row 1 comes after row 2/)]);
    expect(checkAuditSlice([], head)).toEqual(['the slice is empty; it must end with the chain head']);
  });
});
