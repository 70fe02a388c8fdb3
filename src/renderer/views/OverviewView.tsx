/** The case at a glance: import, the heatmap, and every stream with its counts. */
import { useQuery } from '../api/api-context';
import { ImportDropzone } from '../components/ImportDropzone';
import { NcdHeatmap } from '../components/NcdHeatmap';
import { baseName, fmtInt, fmtNum, fmtTime } from '../components/format';
import { Empty, ErrorNote, Loading } from '../components/states';
import { useApp } from '../state/app-store';

export function OverviewView(): React.JSX.Element {
  const { caseInfo, openStream, go } = useApp();
  const streams = useQuery((api) => api.listStreams(), []);
  const empty = caseInfo?.events === 0;
  const timed = streams.data?.some((s) => s.firstTime !== null) ?? false;
  return (
    <div className="overview" data-testid="overview">
      <ImportDropzone compact={!empty} />
      {!empty && <NcdHeatmap />}
      <section className="panel">
        <div className="panel-head">
          <h2>Streams</h2>
          {caseInfo && caseInfo.anomalies > 0 && (
            <button type="button" className="btn" onClick={() => go('anomalies')}>
              Review {fmtInt(caseInfo.anomalies)} anomalies
            </button>
          )}
        </div>
        {streams.error ? (
          <ErrorNote message={streams.error} onRetry={streams.reload} />
        ) : !streams.data ? (
          <Loading what="streams" />
        ) : streams.data.length === 0 ? (
          <Empty title="This case has no data yet">Drop log files above, or point OpenTelemetry at the live listener.</Empty>
        ) : (
          <table className="table" data-testid="stream-table">
            <thead>
              <tr>
                <th>Stream</th>
                <th>Kind</th>
                <th className="num">Events</th>
                <th className="num">Windows</th>
                <th className="num">Anomalies</th>
                <th className="num">Max score</th>
                {timed && <th>From</th>}
                {timed && <th>To</th>}
              </tr>
            </thead>
            <tbody>
              {streams.data.map((s) => (
                <tr key={s.id} className="clickable" onClick={() => openStream(s.id)}>
                  <td title={s.name}>{baseName(s.name)}</td>
                  <td>{s.kind}</td>
                  <td className="num">{fmtInt(s.events)}</td>
                  <td className="num">{fmtInt(s.windows)}</td>
                  <td className={`num${s.anomalies > 0 ? ' strong' : ''}`}>{fmtInt(s.anomalies)}</td>
                  <td className="num">{fmtNum(s.maxScore)}</td>
                  {timed && <td>{fmtTime(s.firstTime)}</td>}
                  {timed && <td>{fmtTime(s.lastTime)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
