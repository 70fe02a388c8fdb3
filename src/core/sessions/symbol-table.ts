
/** What the end of a session reads as in explanations. */
export const SESSION_END = '(end of session)';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;

/**
 * The format-aware view of a session (DESIGN.md §4: low-cardinality strings
 * become a dictionary index): every distinct canonical line is one symbol,
 * a fixed-width token of three base-62 digits and a space. Fixed width keeps
 * a match of two tokens above zstd's minimum match length. Symbols are
 * numbered in first-seen order, so the table is a function of the input.
 */
export class SymbolTable {
  static readonly WIDTH = 4;
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];

  /** The symbol of a line (assigned on first sight). */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
    }
    return id;
  }

  text(id: number): string {
    return this.texts[id] ?? '';
  }

  /** Writes the token of a number (≥ 62³ share one "rare" token) at `at`. */
  static writeToken(n: number, out: Uint8Array, at: number): void {
    if (n >= BASE ** 3) {
      out.fill(125, at, at + 3); // '}}}'
    } else {
      out[at] = DIGITS.charCodeAt(Math.floor(n / (BASE * BASE)));
      out[at + 1] = DIGITS.charCodeAt(Math.floor(n / BASE) % BASE);
      out[at + 2] = DIGITS.charCodeAt(n % BASE);
    }
    out[at + 3] = 32;
  }

  /** Writes the end-of-session token ("~~~" and a newline: no symbol has it). */
  static writeEnd(out: Uint8Array, at: number): void {
    out.fill(126, at, at + 3);
    out[at + 3] = 10;
  }
}
