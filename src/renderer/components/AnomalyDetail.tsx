/**
 * Why one window was flagged: the explanation sentence, its metrics beside
 * the baseline's usual range, the lines that carry the surprise (bits, new
 * tokens highlighted) and the nearest baseline line for each.
 */
import type { AnomalyDetail as Detail, MetricRange } from '../../shared/dto';
import { baseName, fmtInt, fmtNum, fmtP, fmtTime } from './format';
import { StatusBadge } from './states';

function RangeRow({ label, value, range, digits = 3 }: { label: string; value: number; range: MetricRange; digits?: number }): React.JSX.Element {
  const outside = Number.isFinite(range.p95) && (value > range.p95 || value < range.p05);
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className={`num${outside ? ' outside' : ''}`}>{fmtNum(value, digits)}</td>
      <td className="num muted">{Number.isFinite(range.p05) ? `${fmtNum(range.p05, digits)} – ${fmtNum(range.p95, digits)}` : '–'}</td>
      <td className="num muted">{fmtNum(range.median, digits)}</td>
    </tr>
  );
}

export function AnomalyDetailPanel({ detail }: { detail: Detail }): React.JSX.Element {
  const { anomaly: a, result: w } = detail;
  return (
    <article className="detail" data-testid="anomaly-detail" data-anomaly-id={a.id}>
      <header className="detail-head">
        <div>
          <h2>
            {baseName(a.stream)} · window {fmtInt(a.window)}
          </h2>
          <div className="muted">
            events {fmtInt(a.firstEvent)}–{fmtInt(a.lastEvent)}
            {a.startTime !== null && ` · ${fmtTime(a.startTime)} → ${fmtTime(a.endTime)}`}
          </div>
        </div>
        <StatusBadge status={a.suppressedBy !== null ? 'suppressed' : detail.triage.status} />
      </header>
      <p className="explanation" data-testid="anomaly-explanation">
        {w.explanation}
      </p>
      <div className="detail-grid">
        <table className="table metrics">
          <caption>This window vs. the baseline's usual range</caption>
          <thead>
            <tr>
              <th>Metric</th>
              <th className="num">Window</th>
              <th className="num">Usual (p05 – p95)</th>
              <th className="num">Median</th>
            </tr>
          </thead>
          <tbody>
            <RangeRow label="NCD" value={w.ncd} range={w.baselineRange.ncd} />
            <RangeRow label="Compression ratio" value={w.cr} range={w.baselineRange.cr} />
            <RangeRow label="Mean bits / event" value={w.meanBits} range={w.baselineRange.meanBits} digits={1} />
          </tbody>
        </table>
        <dl className="facts">
          <div>
            <dt>Score</dt>
            <dd>{fmtNum(w.score)}</dd>
          </div>
          <div>
            <dt>p-value</dt>
            <dd>
              {fmtP(w.pValue)}{' '}
              {/* At the resolution floor most of N is not drawn: a rigorous tail bound stands for the rest (docs/METHOD.md). */}
              {w.pBound !== undefined ? (
                <span className="muted" title={`None of the drawn permutations exceeded this window; a tail bound of ${w.pBound.toExponential(1)} per draw stands for the rest of N = ${fmtInt(w.permutations)}.`}>
                  (floor; tail bound {w.pBound.toExponential(1)})
                </span>
              ) : (
                <span className="muted">({fmtInt(w.permutations)} permutations)</span>
              )}
            </dd>
          </div>
          <div>
            <dt>q-value (BH)</dt>
            <dd>{fmtP(w.qValue)}</dd>
          </div>
          <div>
            <dt>Excess bits</dt>
            <dd>{fmtNum(w.excessBits, 1)}</dd>
          </div>
          <div>
            <dt>Novelty K(W|B)/C(W)</dt>
            <dd>{fmtNum(w.novelty)}</dd>
          </div>
          <div>
            <dt>Δ bits / byte</dt>
            <dd>{fmtNum(w.deltaBits)}</dd>
          </div>
          <div>
            <dt>Novel events</dt>
            <dd>
              {fmtInt(w.novelEvents)} of {fmtInt(w.n)}
            </dd>
          </div>
        </dl>
      </div>
      <h3>Lines that carry the surprise</h3>
      <ol className="novel-events" data-testid="novel-events">
        {detail.novelEvents.map((e) => (
          <li key={e.index}>
            <div className="novel-meta">
              <span className="bits">{fmtNum(e.bits, 1)} bits</span>
              <span className="muted">event {fmtInt(e.index)}</span>
            </div>
            <code className="line">
              {e.tokens.map((t, i) =>
                t.novel ? (
                  <mark key={i} title="not seen in the baseline">
                    {t.text}
                  </mark>
                ) : (
                  <span key={i}>{t.text}</span>
                ),
              )}
            </code>
            {e.original && e.original !== e.tokens.map((t) => t.text).join('') && <div className="original muted">original: {e.original}</div>}
            {e.nearest && (
              <div className="nearest">
                <span className="muted">nearest baseline line (event {fmtInt(e.nearest.index)}, {Math.round(e.nearest.similarity * 100)}% shared tokens):</span>
                <code className="line baseline-line">{e.nearest.text}</code>
              </div>
            )}
          </li>
        ))}
      </ol>
    </article>
  );
}
