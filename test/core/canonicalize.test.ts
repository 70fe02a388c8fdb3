import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/core';

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
});
