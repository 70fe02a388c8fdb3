/**
 * One stream's windows over time: NCD against the baseline's usual band,
 * the score, the compression ratio and the p-value, anomalies marked in red.
 * Pages of windows keep large streams light; a click opens the window.
 */
import { useEffect, useMemo, useState } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { WindowPoint } from '../../shared/dto';
import { useQuery } from '../api/api-context';
import { baseName, fmtInt, fmtNum, fmtP } from '../components/format';
import { Pager } from '../components/Pager';
import { Empty, ErrorNote, Loading } from '../components/states';
import { useApp } from '../state/app-store';

const PAGE = 400;
const INK = '#1f3a5f';
const BAND = '#c9d6e6';
const ALERT = '#b42318';

interface Row extends WindowPoint {
  band: [number, number];
  anomalyNcd: number | null;
  anomalyScore: number | null;
  logP: number;
}

export function StreamView(): React.JSX.Element {
  const { streamId, focusWindow, openAnomaly, openLogs, go } = useApp();
  const streams = useQuery((api) => api.listStreams(), []);
  const stream = streams.data?.find((s) => s.id === streamId);
  const total = stream?.windows ?? 0;
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    setOffset(focusWindow !== null ? Math.max(0, focusWindow - PAGE / 2) : 0);
  }, [streamId, focusWindow]);
  const page = useQuery((api) => (streamId === null ? Promise.resolve(null) : api.listWindows({ streamId, offset, limit: PAGE })), [streamId, offset]);
  const rows: Row[] = useMemo(
    () =>
      (page.data?.windows ?? []).map((w) => ({
        ...w,
        band: [w.ncdLow, w.ncdHigh],
        anomalyNcd: w.anomaly ? w.ncd : null,
        anomalyScore: w.anomaly ? w.score : null,
        logP: -Math.log10(Math.max(w.pValue, 1e-12)),
      })),
    [page.data],
  );

  if (streamId === null) return <Empty title="No stream selected">Pick a stream on the overview.</Empty>;
  if (streams.error) return <ErrorNote message={streams.error} onRetry={streams.reload} />;
  if (!stream) return <Loading what="stream" />;

  const onClick = (state: { activeLabel?: string | number | undefined } | null): void => {
    const win = Number(state?.activeLabel);
    const row = rows.find((r) => r.window === win);
    if (!row) return;
    if (row.anomalyId !== null) openAnomaly(row.anomalyId);
    else openLogs({ streamId, seq: row.firstEvent, window: row.window });
  };

  return (
    <div className="stream-view">
      <div className="crumbs">
        <button type="button" className="link" onClick={() => go('overview')}>
          Overview
        </button>{' '}
        / <span title={stream.name}>{baseName(stream.name)}</span>
      </div>
      <section className="panel" data-testid="window-timeline">
        <div className="panel-head">
          <h2>
            Windows {fmtInt(offset)}–{fmtInt(Math.min(total, offset + PAGE) - 1)} of {fmtInt(total)}
          </h2>
          <div className="pager">
            <Pager canBack={offset > 0} canForward={offset + PAGE < total} onBack={() => setOffset(Math.max(0, offset - PAGE))} onForward={() => setOffset(offset + PAGE)} />
          </div>
        </div>
        {page.error ? (
          <ErrorNote message={page.error} onRetry={page.reload} />
        ) : !page.data ? (
          <Loading what="windows" />
        ) : rows.length === 0 ? (
          <Empty title="No windows in this stream">The stream has too few events for a baseline and a window.</Empty>
        ) : (
          <div className="charts">
            <Chart title="NCD vs. the baseline's usual range (band: p05–p95)" rows={rows} onClick={onClick} focus={focusWindow}>
              <YAxis domain={['auto', 'auto']} width={56} tickFormatter={(v: number) => v.toFixed(2)} />
              <Area dataKey="band" stroke="none" fill={BAND} fillOpacity={0.7} isAnimationActive={false} name="baseline p05–p95" />
              <Line dataKey="ncd" stroke={INK} dot={false} strokeWidth={1.5} isAnimationActive={false} name="NCD" />
              <Scatter dataKey="anomalyNcd" fill={ALERT} isAnimationActive={false} name="anomaly" />
            </Chart>
            <Chart title="Score (0–1)" rows={rows} onClick={onClick} focus={focusWindow}>
              <YAxis domain={[0, 1]} width={56} />
              <Line dataKey="score" stroke={INK} dot={false} strokeWidth={1.5} isAnimationActive={false} name="score" />
              <Scatter dataKey="anomalyScore" fill={ALERT} isAnimationActive={false} name="anomaly" />
            </Chart>
            <Chart title="Compression ratio C(W)/|W|" rows={rows} onClick={onClick} focus={focusWindow}>
              <YAxis domain={['auto', 'auto']} width={56} tickFormatter={(v: number) => v.toFixed(3)} />
              <Line dataKey="cr" stroke={INK} dot={false} strokeWidth={1.5} isAnimationActive={false} name="CR" />
            </Chart>
            <Chart title="−log₁₀ p-value (higher = less likely under the baseline)" rows={rows} onClick={onClick} focus={focusWindow}>
              <YAxis domain={[0, 'auto']} width={56} />
              <Line dataKey="logP" stroke={INK} dot={false} strokeWidth={1.5} isAnimationActive={false} name="−log10 p" />
            </Chart>
          </div>
        )}
      </section>
    </div>
  );
}

function Chart({
  title,
  rows,
  children,
  onClick,
  focus,
}: {
  title: string;
  rows: Row[];
  children: React.ReactNode;
  onClick: (state: { activeLabel?: string | number | undefined } | null) => void;
  focus: number | null;
}): React.JSX.Element {
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={150}>
        <ComposedChart data={rows} syncId="stream" onClick={onClick} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e5e9f0" vertical={false} />
          <XAxis dataKey="window" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} />
          {children}
          <Tooltip content={<WindowTip />} isAnimationActive={false} />
          {focus !== null && <ReferenceLine x={focus} stroke={INK} strokeDasharray="3 3" />}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

function WindowTip({ active, payload }: { active?: boolean; payload?: Array<{ payload: Row }> }): React.JSX.Element | null {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <div className="tip">
      <strong>
        Window {row.window} {row.anomaly && <span className="badge badge-open">anomaly</span>}
      </strong>
      <div>
        events {fmtInt(row.firstEvent)}–{fmtInt(row.lastEvent)}
      </div>
      <div>
        NCD {fmtNum(row.ncd)} (usual {fmtNum(row.ncdLow)}–{fmtNum(row.ncdHigh)})
      </div>
      <div>
        score {fmtNum(row.score)} · p {fmtP(row.pValue)} · CR {fmtNum(row.cr)}
      </div>
    </div>
  );
}
