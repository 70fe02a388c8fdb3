/**
 * The overview heatmap: streams × columns, each cell the highest NCD or score
 * among the windows that fall in it. Aggregating in main keeps the payload at
 * rows × columns whatever the case size (100,000 windows draw as fast as 100).
 */
import type { Heatmap, HeatmapCell, HeatmapMetric } from '../../shared/dto';
import type { StreamMetrics } from './case-port';

export function buildHeatmap(streams: readonly StreamMetrics[], metric: HeatmapMetric, columns: number): Heatmap {
  const timed = streams.length > 0 && streams.every((s) => s.startTime.length > 0 && s.startTime.every((t) => Number.isFinite(t)));
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of streams) {
    const axis = timed ? s.startTime : s.window;
    for (let i = 0; i < axis.length; i++) {
      lo = Math.min(lo, axis[i]!);
      hi = Math.max(hi, axis[i]!);
    }
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 0;
  }
  // Window indexes are integers: never make more columns than windows.
  const cols = Math.max(1, timed ? columns : Math.min(columns, hi - lo + 1));
  const span = hi - lo;
  const width = span === 0 ? 1 : span / cols;
  const edges = Array.from({ length: cols + 1 }, (_, i) => (i === cols ? hi + (timed ? 0 : 1) : lo + i * width));
  const column = (x: number): number => (span === 0 ? 0 : Math.min(cols - 1, Math.floor((x - lo) / width)));
  const rows = streams.map((s) => {
    const cells: Array<HeatmapCell | null> = new Array<HeatmapCell | null>(cols).fill(null);
    const values = metric === 'ncd' ? s.ncd : s.score;
    const axis = timed ? s.startTime : s.window;
    for (let i = 0; i < values.length; i++) {
      const c = column(axis[i]!);
      const v = values[i]!;
      const cell = cells[c];
      if (!cell) {
        cells[c] = { value: v, window: s.window[i]!, windows: 1, anomalies: s.anomaly[i]! };
      } else {
        cell.windows++;
        cell.anomalies += s.anomaly[i]!;
        if (v > cell.value) {
          cell.value = v;
          cell.window = s.window[i]!;
        }
      }
    }
    return { streamId: s.streamId, stream: s.stream, cells };
  });
  return { metric, axis: timed ? 'time' : 'window', edges, rows };
}
