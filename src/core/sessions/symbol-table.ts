import type { EngineEvent } from '../types';

/** What the end of a session reads as in explanations. */
export const SESSION_END = '(end of session)';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const encoder = new TextEncoder();

/**
 * The format-aware view of a session (DESIGN.md §4: low-cardinality strings
 * become a dictionary index): every distinct canonical line is one symbol, a
 * fixed-width token of three base-62 digits and a space, so a session is its
 * template sequence, e.g. "000 001 001 002 ~~~\n". Fixed width keeps a
 * match of two tokens above zstd's minimum match length. Symbols are
 * numbered in first-seen order, so the table is a function of the input.
 */
export class SymbolTable {
  static readonly WIDTH = 4;
  private readonly ids = new Map<string, number>();
  private static readonly END = encoder.encode('~~~\n');
  private static readonly OVERFLOW = encoder.encode('}}} ');

  /** The group's symbol bytes followed by the end marker. */
  sequence(events: readonly EngineEvent[]): Uint8Array {
    const out = new Uint8Array((events.length + 1) * SymbolTable.WIDTH);
    events.forEach((e, i) => out.set(this.token(e.text), i * SymbolTable.WIDTH));
    out.set(SymbolTable.END, events.length * SymbolTable.WIDTH);
    return out;
  }

  private token(text: string): Uint8Array {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(text, id);
    }
    // Past 62³ distinct lines every further line shares one "rare" symbol.
    if (id >= BASE ** 3) return SymbolTable.OVERFLOW;
    const t = new Uint8Array(SymbolTable.WIDTH);
    t[0] = DIGITS.charCodeAt(Math.floor(id / (BASE * BASE)));
    t[1] = DIGITS.charCodeAt(Math.floor(id / BASE) % BASE);
    t[2] = DIGITS.charCodeAt(id % BASE);
    t[3] = 32;
    return t;
  }
}
