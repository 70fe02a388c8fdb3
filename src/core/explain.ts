import type { MetricRange, WindowResult } from './types';

function fmt(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x.toFixed(digits);
}

function fmtP(p: number): string {
  if (p >= 0.001) return p.toFixed(3);
  return p.toExponential(1);
}

function range(r: MetricRange): string {
  if (!Number.isFinite(r.p05)) return 'no usual range';
  return `usual ${fmt(r.p05)}–${fmt(r.p95)}`;
}

function quote(text: string, max = 80): string {
  const t = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return `“${t}”`;
}

/**
 * One plain sentence a reviewer can read without the maths: what changed,
 * by how much, how unlikely under the baseline, and the line that leads it.
 */
export function explainWindow(w: WindowResult): string {
  const span = w.firstEvent === w.lastEvent ? `Event ${w.firstEvent}` : `Events ${w.firstEvent}–${w.lastEvent}`;
  const test =
    w.permutations > 0
      ? w.pBound !== undefined
        ? `p = ${fmtP(w.pValue)}: no permutation exceeded it, and a tail bound of ${w.pBound.toExponential(1)} rules one out in ${w.permutations.toLocaleString('en-US')}; q = ${fmtP(w.qValue)} after FDR control`
        : `p = ${fmtP(w.pValue)} over ${w.permutations.toLocaleString('en-US')} permutations, q = ${fmtP(w.qValue)} after FDR control`
      : `p ≈ ${fmtP(w.pValue)} (normal approximation), q = ${fmtP(w.qValue)}`;
  const ncdPart = `NCD to the baseline ${fmt(w.ncd)} (${range(w.baselineRange.ncd)})`;
  const lead = w.topEvents[0];
  if (w.anomaly) {
    // Most events above the threshold: the whole window shifted (a run of one
    // line, a burst); say how much costlier its events are on average.
    const shifted = 2 * w.novelEvents > w.n ? `, ${Math.round(w.meanBits)} bits on average against the baseline's ${Math.round(w.baselineMeanBits)}` : '';
    const novel = `${w.novelEvents} of ${w.n} events are new to the baseline${shifted}`;
    const leader = lead ? `, led by event ${lead.index} (${Math.round(lead.bits)} bits): ${quote(lead.text)}` : '';
    return `${span} of ${w.stream} carry ${Math.round(w.excessBits)} bits more than a typical baseline window (${test}); ${novel}${leader}. ${ncdPart}.`;
  }
  return `${span} of ${w.stream} look like the baseline: ${Math.round(w.excessBits)} excess bits (${test}); ${ncdPart}.`;
}
