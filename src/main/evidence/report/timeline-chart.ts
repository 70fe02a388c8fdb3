// The per-anomaly timeline: excess bits of every window of the stream as
// vector bars, the profile's threshold, where the baseline came from, and
// the window the section is about. Drawn with pdfkit primitives only.
import type { BatchWindow } from '../bundle-format';
import type { IndexRange } from '../../../core';
import { COLORS, type PdfLayout } from './pdf-layout';
import { fmtInt, fmtTime } from './format';

export interface TimelineInput {
  /** The stream's windows in window order. */
  windows: readonly BatchWindow[];
  /** The window this chart is about. */
  highlight: number;
  /** The profile's minimum excess bits. */
  threshold: number;
  /** Event ranges of the highlighted window's baseline. */
  baseline: readonly IndexRange[];
}

/** Round step for about `target` ticks over `span`. */
export function niceStep(span: number, target = 4): number {
  if (!(span > 0)) return 1;
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / magnitude;
  const nice = unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 2.5 ? 2.5 : unit <= 5 ? 5 : 10;
  return nice * magnitude;
}

function overlaps(w: BatchWindow, ranges: readonly IndexRange[]): boolean {
  return ranges.some(([a, b]) => w.firstEvent <= b && w.lastEvent >= a);
}

/** Draws the chart in the box at (x, y) of the given size. */
export function drawTimeline(layout: PdfLayout, box: { x: number; y: number; width: number; height: number }, input: TimelineInput): void {
  const doc = layout.doc;
  const axisWidth = 46;
  const legendHeight = 14;
  const xLabelHeight = 22;
  const plot = {
    x: box.x + axisWidth,
    y: box.y + legendHeight,
    width: box.width - axisWidth - 4,
    height: box.height - legendHeight - xLabelHeight,
  };
  const windows = input.windows;
  const values = windows.map((w) => (Number.isFinite(w.excessBits) ? w.excessBits : 0));
  const min = Math.min(0, ...values);
  const max = Math.max(input.threshold, ...values);
  const step = niceStep(max - min);
  // The top snaps to a grid line; the bottom only pads below the lowest bar,
  // so slightly negative windows do not reserve a whole grid step.
  const hi = Math.ceil((max + (max - min) * 0.06) / step) * step;
  const lo = min < 0 ? min - (hi - min) * 0.04 : 0;
  const yOf = (v: number): number => plot.y + plot.height - ((v - lo) / (hi - lo)) * plot.height;
  const slot = plot.width / Math.max(1, windows.length);
  const barWidth = Math.max(0.4, slot * 0.78);

  doc.save();
  // Baseline provenance: light band behind the windows its events came from.
  doc.fillColor(COLORS.baseline);
  windows.forEach((w, i) => {
    if (overlaps(w, input.baseline)) doc.rect(plot.x + i * slot, plot.y, slot + 0.01, plot.height).fill();
  });

  // Grid and y labels.
  layout.style('sans', 6.5);
  for (let k = Math.ceil(lo / step); k * step <= hi + step / 2; k++) {
    const v = k * step;
    const y = yOf(v);
    doc.moveTo(plot.x, y).lineTo(plot.x + plot.width, y).lineWidth(0.3).strokeColor(COLORS.rule).stroke();
    doc.fillColor(COLORS.muted).text(fmtInt(Math.round(v) || 0), box.x, y - 3, { width: axisWidth - 5, align: 'right', lineBreak: false });
  }
  doc.save();
  doc.rotate(-90, { origin: [box.x + 4, plot.y + plot.height / 2] });
  doc.fillColor(COLORS.muted).text('excess bits', box.x - 26, plot.y + plot.height / 2 - 3, { width: 60, align: 'center', lineBreak: false });
  doc.restore();

  // Bars from zero.
  const zero = yOf(0);
  windows.forEach((w, i) => {
    const v = values[i]!;
    const x = plot.x + i * slot + (slot - barWidth) / 2;
    const top = Math.min(zero, yOf(v));
    const h = Math.max(0.5, Math.abs(yOf(v) - zero));
    const color = w.window === input.highlight ? COLORS.alert : w.anomaly ? COLORS.alertSoft : COLORS.normal;
    doc.rect(x, top, barWidth, h).fill(color);
    if (w.window === input.highlight) {
      const cx = x + barWidth / 2;
      const tip = top - 2;
      doc.polygon([cx, tip], [cx - 3.5, tip - 6], [cx + 3.5, tip - 6]).fill(COLORS.alert);
    }
  });
  doc.moveTo(plot.x, zero).lineTo(plot.x + plot.width, zero).lineWidth(0.6).strokeColor(COLORS.text).stroke();

  // The profile's threshold.
  const ty = yOf(input.threshold);
  doc.moveTo(plot.x, ty).lineTo(plot.x + plot.width, ty).dash(3, { space: 2 }).lineWidth(0.7).strokeColor(COLORS.accent).stroke().undash();

  // X labels: first events (or times) of a few windows.
  const labels = Math.min(windows.length, 6);
  const useTime = windows.every((w) => w.startTime !== undefined && w.startTime !== null);
  const first = windows[0]?.startTime ?? 0;
  const last = windows[windows.length - 1]?.startTime ?? 0;
  // Dates when the stream spans days, clock times within a day or two.
  const timeLabel = (ms: number): string => (last - first > 2 * 86_400_000 ? fmtTime(ms).slice(0, 10) : fmtTime(ms).slice(5, 16));
  for (let k = 0; k < labels; k++) {
    const i = labels === 1 ? 0 : Math.round((k * (windows.length - 1)) / (labels - 1));
    const w = windows[i]!;
    const cx = plot.x + i * slot + slot / 2;
    doc.moveTo(cx, plot.y + plot.height).lineTo(cx, plot.y + plot.height + 2.5).lineWidth(0.4).strokeColor(COLORS.muted).stroke();
    const label = useTime ? timeLabel(w.startTime!) : String(w.firstEvent);
    doc.fillColor(COLORS.muted).text(label, cx - 40, plot.y + plot.height + 4, { width: 80, align: 'center', lineBreak: false });
  }
  doc.fillColor(COLORS.muted).text(useTime ? 'window start (UTC)' : 'first event of window', plot.x, plot.y + plot.height + 13, {
    width: plot.width,
    align: 'center',
    lineBreak: false,
  });

  // Legend.
  const items: [string, string, 'box' | 'dash'][] = [
    [COLORS.alert, 'this window', 'box'],
    [COLORS.alertSoft, 'other flagged', 'box'],
    [COLORS.normal, 'like the baseline', 'box'],
    [COLORS.baseline, "this window's baseline", 'box'],
    [COLORS.accent, `profile minimum (${fmtInt(input.threshold)} bits)`, 'dash'],
  ];
  let lx = plot.x;
  for (const [color, label, kind] of items) {
    if (kind === 'box') doc.rect(lx, box.y + 3, 7, 7).fill(color);
    else doc.moveTo(lx, box.y + 6.5).lineTo(lx + 9, box.y + 6.5).dash(3, { space: 2 }).lineWidth(0.8).strokeColor(color).stroke().undash();
    const w = doc.widthOfString(label);
    doc.fillColor(COLORS.muted).text(label, lx + 11, box.y + 3, { lineBreak: false });
    lx += 11 + w + 12;
  }
  doc.restore();
}
