import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/core';
import { MASK_RULES } from '../../src/core/canonicalize';
import { rng } from '../helpers/rng';

const DATA = resolve(import.meta.dirname, '../../../shared/data');

/** The rules as specified: every pattern applied in order, no guard skipping any. */
function unguarded(line: string): string {
  let out = line;
  for (const rule of MASK_RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, `<${rule.type}>`);
  }
  return out;
}

describe('canonicalize', () => {
  it.each([
    ['2005-06-03-15.42.50.675872 RAS KERNEL INFO', '<TS> RAS KERNEL INFO'],
    ['at 2026-01-05T08:00:00.089Z done', 'at <TS> done'],
    ['Nov  9 12:01:01 dn228 crond[2915]: ok', '<TS> dn228 crond[<NUM>]: ok'],
    ['[Sun Dec 04 04:47:44 2005] [notice] ok', '[<TS>] [notice] ok'],
    ['081109 203530 147 INFO dfs.DataNode', '<TS> <NUM> INFO dfs.DataNode'],
    ['from 10.250.18.114:43996 to 10.0.0.1', 'from <IP> to <IP>'],
    ['addr fe80::1ff:fe23:4567:890a up', 'addr <IP> up'],
    ['req 123e4567-e89b-12d3-a456-426614174000 ok', 'req <UUID> ok'],
    ['trace=03ec8859caaadb0f ptr 0x7fff', 'trace=<HEX> ptr <HEX>'],
    ['user bob@example.com logged in', 'user <EMAIL> logged in'],
    ['GET https://example.com/a?b=1 200', 'GET <URL> <NUM>'],
    ['auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk ok', 'auth <JWT> ok'],
    ['key QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0Mg== end', 'key <B64> end'],
    ['blk_4394112519745907149 size 67108864', 'blk_<NUM> size <NUM>'],
  ])('%s', (input, expected) => {
    expect(canonicalize(input)).toBe(expected);
  });

  it('keeps identifiers that merely contain digits', () => {
    expect(canonicalize('R02-M1-N0 md5 sha256 x86')).toBe('R02-M1-N0 md5 sha256 x86');
  });

  it('leaves plain text and empty lines alone', () => {
    expect(canonicalize('')).toBe('');
    expect(canonicalize('instruction cache parity error corrected')).toBe('instruction cache parity error corrected');
  });

  it('is idempotent', () => {
    const line = 'Nov  9 12:01:01 10.0.0.1 user bob@example.com id=03ec8859caaadb0f took 1234 ms';
    expect(canonicalize(canonicalize(line))).toBe(canonicalize(line));
  });

  // The guards only decide whether a rule's regex runs; each must hold for every
  // line its pattern matches, so the output is that of the rules alone.
  it('gives what the rules give without their guards (real logs)', () => {
    const files = ['hdfs/HDFS_v1_sample.log', 'loghub/BGL_2k.log', 'loghub/Thunderbird_2k.log', 'loghub/unlabelled/Apache_2k.log', 'loghub/unlabelled/Linux_2k.log', 'loghub/unlabelled/OpenSSH_2k.log'];
    let lines = 0;
    for (const f of files) {
      for (const line of readFileSync(resolve(DATA, f), 'utf8').split('\n')) {
        if (canonicalize(line) !== unguarded(line)) expect(canonicalize(line), `${f}: ${line}`).toBe(unguarded(line));
        lines++;
      }
    }
    expect(lines).toBeGreaterThan(120_000);
  });

  /** Lines glued from pieces of volatile tokens, so every rule's pattern matches some of them. */
  function randomLines(seed: number, count: number): string[] {
    const random = rng(seed);
    const pieces = ['0x', '1f', 'a', 'B', '9', '2024', '-', '.', '/', ':', '::', ' ', '\t', '+', '=', '@', 'x.io', '://', 'eyJ', 'eyJabcdefgh.', 'Jan ', 'Mon ', '12', '123456', 'deadbeef', 'Zz', '_', ',', 'T', 'Z', '-01-02', '10.', '0.', ':34:56', 'ab:cd:', '-e89b-', '123e4567-e89b-12d3-a456-', '426614174000', 'Nov  9 ', '12:01:01'];
    return Array.from({ length: count }, () => {
      let line = '';
      const k = 1 + Math.floor(random() * 30);
      for (let i = 0; i < k; i++) line += pieces[Math.floor(random() * pieces.length)];
      return line;
    });
  }

  it('gives what the rules give without their guards (random lines of volatile-looking tokens)', () => {
    for (const line of randomLines(7, 30_000)) {
      if (canonicalize(line) !== unguarded(line)) expect(canonicalize(line), line).toBe(unguarded(line));
    }
  });

  it('each guard holds wherever its pattern matches (random lines)', () => {
    const matched = MASK_RULES.map(() => 0);
    for (const line of randomLines(11, 30_000)) {
      MASK_RULES.forEach((rule, i) => {
        rule.pattern.lastIndex = 0;
        if (!rule.pattern.test(line)) return;
        matched[i]!++;
        if (rule.guard) expect(rule.guard(line), `${rule.type}: ${line}`).toBe(true);
      });
    }
    // Not vacuous: every rule's pattern matched some lines.
    expect(matched.every((n) => n > 0), matched.join(' ')).toBe(true);
  });
});
