/**
 * Streams × time (or window index): each cell is the highest NCD or score of
 * the windows it aggregates; anomalous cells carry a dark outline. Click a
 * cell to open its strongest window on the stream timeline.
 */
import { useEffect, useRef, useState } from 'react';
import type { Heatmap, HeatmapMetric } from '../../shared/dto';
import { useQuery } from '../api/api-context';
import { useApp } from '../state/app-store';
import { baseName, fmtNum, fmtTime } from './format';
import { Empty, ErrorNote, Loading } from './states';

const COLUMNS = 96;
const ROW_H = 22;
const LABEL_W = 220;

/** Sequential single-hue scale (slate to deep blue): monotone in lightness, readable in grey. */
export function heatColor(v: number): string {
  const t = Math.max(0, Math.min(1, v));
  const light = 96 - t * 66;
  const sat = 20 + t * 55;
  return `hsl(215 ${sat.toFixed(0)}% ${light.toFixed(0)}%)`;
}

/** NCD sits in a narrow band near 1 for real logs: stretch the colour over the case's own range. */
function scaleOf(map: Heatmap): (v: number) => number {
  if (map.metric === 'score') return (v) => v;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of map.rows) {
    for (const c of r.cells) {
      if (!c) continue;
      lo = Math.min(lo, c.value);
      hi = Math.max(hi, c.value);
    }
  }
  if (!(hi > lo)) return () => 0.5;
  return (v) => (v - lo) / (hi - lo);
}

export function NcdHeatmap(): React.JSX.Element {
  const [metric, setMetric] = useState<HeatmapMetric>('score');
  const openStream = useApp((s) => s.openStream);
  const q = useQuery((api) => api.getHeatmap({ metric, columns: COLUMNS }), [metric]);
  const [hover, setHover] = useState<string | null>(null);

  return (
    <section className="panel" data-testid="ncd-heatmap">
      <div className="panel-head">
        <h2>Where the windows differ from their baseline</h2>
        <div className="segmented" role="group" aria-label="Colour by">
          {(['score', 'ncd'] as const).map((m) => (
            <button key={m} type="button" className={metric === m ? 'on' : ''} onClick={() => setMetric(m)}>
              {m === 'score' ? 'Score' : 'NCD'}
            </button>
          ))}
        </div>
      </div>
      {q.error ? (
        <ErrorNote message={q.error} onRetry={q.reload} />
      ) : !q.data ? (
        <Loading what="heatmap" />
      ) : q.data.rows.length === 0 ? (
        <Empty title="No analysed streams yet">Import a file to see its windows here.</Empty>
      ) : (
        <HeatmapGrid map={q.data} onOpen={openStream} hover={hover} setHover={setHover} />
      )}
    </section>
  );
}

function HeatmapGrid({
  map,
  onOpen,
  hover,
  setHover,
}: {
  map: Heatmap;
  onOpen: (streamId: number, window: number) => void;
  hover: string | null;
  setHover: (h: string | null) => void;
}): React.JSX.Element {
  const cols = map.edges.length - 1;
  const wrap = useRef<HTMLDivElement>(null);
  const [available, setAvailable] = useState(960);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setAvailable(entry!.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // Cells fill the panel, between 4 px (many columns) and 64 px (a short stream).
  const cellW = Math.max(4, Math.min(64, Math.floor((available - LABEL_W - 8) / cols)));
  const scale = scaleOf(map);
  const width = LABEL_W + cols * cellW;
  const height = map.rows.length * ROW_H + 24;
  const edge = (i: number): string => (map.axis === 'time' ? fmtTime(map.edges[i]!) : `window ${Math.round(map.edges[i]!)}`);
  return (
    <div className="heatmap-wrap" ref={wrap}>
      <svg width={width} height={height} role="img" aria-label={`${map.metric} heatmap`} className="heatmap">
        {map.rows.map((row, r) => (
          <g key={row.streamId} transform={`translate(0 ${r * ROW_H})`}>
            <text x={LABEL_W - 8} y={ROW_H / 2 + 4} textAnchor="end" className="heatmap-label">
              <title>{row.stream}</title>
              {baseName(row.stream).slice(0, 30)}
            </text>
            {row.cells.map((cell, c) =>
              cell ? (
                <rect
                  key={c}
                  data-testid="heatmap-cell"
                  data-anomalies={cell.anomalies}
                  x={LABEL_W + c * cellW}
                  y={1}
                  width={cellW - 1}
                  height={ROW_H - 2}
                  fill={heatColor(scale(cell.value))}
                  className={cell.anomalies > 0 ? 'cell-anomaly' : 'cell'}
                  onClick={() => onOpen(row.streamId, cell.window)}
                  onMouseEnter={() =>
                    setHover(
                      `${baseName(row.stream)} · ${edge(c)} – ${edge(c + 1)} · ${cell.windows} window(s) · max ${map.metric} ${fmtNum(cell.value)}` +
                        (cell.anomalies > 0 ? ` · ${cell.anomalies} anomalous` : ''),
                    )
                  }
                  onMouseLeave={() => setHover(null)}
                />
              ) : (
                <rect key={c} x={LABEL_W + c * cellW} y={1} width={cellW - 1} height={ROW_H - 2} className="cell-empty" />
              ),
            )}
          </g>
        ))}
        <text x={LABEL_W} y={height - 6} className="heatmap-axis">
          {edge(0)}
        </text>
        <text x={width} y={height - 6} textAnchor="end" className="heatmap-axis">
          {edge(cols)}
        </text>
      </svg>
      <div className="heatmap-foot">
        <span className="legend">
          <span className="legend-ramp" aria-hidden="true" /> low → high {map.metric === 'ncd' ? 'NCD (scaled to this case)' : 'score'}
          <span className="legend-anomaly" aria-hidden="true" /> contains an anomalous window
        </span>
        <span className="muted">{hover ?? 'Click a cell to open its strongest window.'}</span>
      </div>
    </div>
  );
}
