/**
 * A set of ASCII characters as a lookup table (index = char code), for
 * `hasCharRun`. Characters beyond ASCII are never members.
 *
 * @example charSet(/[0-9a-fA-F]/) // the hex digits
 */
export function charSet(member: RegExp): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (member.test(String.fromCharCode(c))) table[c] = 1;
  return table;
}

function inSet(s: string, i: number, set: Uint8Array): boolean {
  const c = s.charCodeAt(i);
  return c < 128 && set[c] === 1;
}

/**
 * Whether `s` holds `n` consecutive characters of `set` (n ≥ 1): a cheap
 * necessary condition for a regex that needs such a run. Any run of n
 * covers an index ≡ n − 1 (mod n), so only those indices are probed, and a
 * probe that lands in the set is measured around it (at most n characters):
 * most of a line is never read.
 *
 * @example hasCharRun('id 03ec8859caaadb0f', charSet(/[0-9a-f]/), 8) // true
 */
export function hasCharRun(s: string, set: Uint8Array, n: number): boolean {
  for (let i = n - 1; i < s.length; i += n) {
    if (!inSet(s, i, set)) continue;
    let start = i;
    while (start > 0 && i - start < n - 1 && inSet(s, start - 1, set)) start--;
    let end = i;
    while (end - start < n - 1 && end + 1 < s.length && inSet(s, end + 1, set)) end++;
    if (end - start + 1 >= n) return true;
  }
  return false;
}
