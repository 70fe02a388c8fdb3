// Number and time formatting for the report: one place, so a figure reads
// the same in every table and sentence.

/** Fixed decimals, or "n/a" for a number the engine could not compute. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return x.toFixed(digits);
}

/** p- and q-values: three decimals, scientific below 0.001 (as in the explanations). */
export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'n/a';
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

/** "2005-06-03 15:42:50 UTC" (second precision; the data files keep milliseconds). */
export function fmtTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'n/a';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "events 1200–1299" or "event 7": plain indexes, as the explanations write them. */
export function fmtEvents(first: number, last: number): string {
  return first === last ? `event ${first}` : `events ${first}–${last}`;
}

/** A time span when both ends are known, else the event span. */
export function fmtSpan(w: { firstEvent: number; lastEvent: number; startTime?: number | null; endTime?: number | null }): string {
  const events = fmtEvents(w.firstEvent, w.lastEvent);
  if (w.startTime == null || w.endTime == null) return events;
  return `${events}, ${fmtTime(w.startTime)} – ${fmtTime(w.endTime)}`;
}

/** Cuts long text for a table cell, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
