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
  const test =
    g.permutations > 0
      ? `p = ${fmtP(g.pValue)} over ${g.permutations.toLocaleString('en-US')} permutations, q = ${fmtP(g.qValue)} after FDR control`
      : `p ≈ ${fmtP(g.pValue)} (normal approximation), q = ${fmtP(g.qValue)}`;
  const lead = g.topEvents[0];
  const leader = lead
    ? lead.index < 0
      ? `, led by where it ends (${Math.round(lead.bits)} bits): no baseline session ends like this`
      : `, led by event ${lead.index} (${Math.round(lead.bits)} bits): ${quote(lead.text)}`
    : '';
  if (g.anomaly) {
    return `Session ${g.group} (${g.n} events) carries ${Math.round(g.excessBits)} bits more than the other sessions' events (${test}); ${g.novelEvents} of its events are new to them${leader}.`;
  }
  return `Session ${g.group} (${g.n} events) looks like the other sessions: ${Math.round(g.excessBits)} excess bits (${test}).`;
}
