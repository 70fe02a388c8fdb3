import type { GroupResult } from '../types';

function fmtP(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

function quote(text: string, max = 80): string {
  return `“${text.length > max ? `${text.slice(0, max - 1)}…` : text}”`;
}

/**
 * One plain sentence per session: how many bits it carries beyond sessions
 * like it, how unlikely that is, and the event (or the ending) that leads.
 */
export function explainGroup(g: GroupResult): string {
  const test = `p = ${fmtP(g.pValue)} against the calibration sessions, q = ${fmtP(g.qValue)} after FDR control`;
  const lead = g.topEvents[0];
  const leader = lead
    ? lead.index < 0
      ? `, led by where it ends (${Math.round(lead.bits)} bits): no baseline session ends like this`
      : `, led by event ${lead.index} (${Math.round(lead.bits)} bits): ${quote(lead.text)}`
    : '';
  if (g.anomaly) {
    return `Session ${g.group} (${g.n} events) needs ${g.bitsPerEvent.toFixed(0)} bits per event given the other sessions, ${Math.round(g.excessBits)} bits more than a typical session of its length (${test})${leader}.`;
  }
  return `Session ${g.group} (${g.n} events) looks like the other sessions: ${g.bitsPerEvent.toFixed(0)} bits per event, ${Math.round(g.excessBits)} bits beyond a typical session (${test}).`;
}
