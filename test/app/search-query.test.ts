// The search box's text, turned into FTS5 syntax and back into highlights.
import { describe, expect, it } from 'vitest';
import { ftsQuery, highlightTerms } from '../../src/main/api/search-query';

describe('ftsQuery', () => {
  it.each([
    ['parity error', '"parity" AND "error"'],
    ['"data TLB" error', '"data TLB" AND "error"'],
    ['time*', '"time"*'],
    ['R05-M0-N5 NEAR OR', '"R05-M0-N5" AND "NEAR" AND "OR"'],
    ['say "hi', '"say" AND "hi"'],
  ])('%s -> %s', (input, expected) => {
    expect(ftsQuery(input)).toBe(expected);
  });

  it('has nothing to search in punctuation alone', () => {
    expect(ftsQuery('  -- ** ()  ')).toBeNull();
  });
});

describe('highlightTerms', () => {
  it('finds every occurrence, case-insensitive, prefixes to the end of the word', () => {
    const text = 'Parity error; instruction cache parity error corrected (timeouts)';
    expect(highlightTerms(text, 'parity')).toEqual([
      [0, 6],
      [32, 38],
    ]);
    expect(highlightTerms(text, 'time*')).toEqual([[56, 64]]);
    expect(text.slice(56, 64)).toBe('timeouts');
  });

  it('merges overlapping matches', () => {
    expect(highlightTerms('abcdef', 'abc bcd')).toEqual([[0, 4]]);
  });
});
