import { describe, expect, it } from 'vitest';
import { charSet, hasCharRun } from '../../src/core';
import { rng } from '../helpers/rng';

describe('hasCharRun', () => {
  it('finds runs at the start, the end and the whole string, and not one character short', () => {
    const hex = charSet(/[0-9a-f]/);
    expect(hasCharRun('deadbeef', hex, 8)).toBe(true);
    expect(hasCharRun('deadbee', hex, 8)).toBe(false);
    expect(hasCharRun('deadbeef xyz', hex, 8)).toBe(true);
    expect(hasCharRun('xyz 0123456789', hex, 8)).toBe(true);
    expect(hasCharRun('0123456 x 89abcde', hex, 8)).toBe(false);
    expect(hasCharRun('', hex, 1)).toBe(false);
    expect(hasCharRun('é0123456789', hex, 10)).toBe(true);
    expect(hasCharRun('0123é456789', hex, 5)).toBe(true);
    expect(hasCharRun('0123é4567', hex, 5)).toBe(false);
  });

  it('agrees with the regex /[set]{n}/ on random strings', () => {
    const random = rng(3);
    const alphabet = 'ab19 -+/=xZé';
    const sets: [string, Uint8Array][] = [
      ['[0-9a-fA-F]', charSet(/[0-9a-fA-F]/)],
      ['[A-Za-z0-9+/]', charSet(/[A-Za-z0-9+/]/)],
      ['[\\d -]', charSet(/[\d -]/)],
    ];
    let found = 0;
    for (let k = 0; k < 20_000; k++) {
      let s = '';
      const len = Math.floor(random() * 60);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(random() * alphabet.length)];
      const n = 1 + Math.floor(random() * 12);
      for (const [cls, set] of sets) {
        const want = new RegExp(`${cls}{${n}}`).test(s);
        if (want) found++;
        if (hasCharRun(s, set, n) !== want) expect(hasCharRun(s, set, n), `${cls}{${n}} in ${JSON.stringify(s)}`).toBe(want);
      }
    }
    expect(found).toBeGreaterThan(10_000);
  });
});
