/** The local OTLP listener: its state and rates, start/stop, and the newest anomalies as they arrive. */
import { useEffect, useState } from 'react';
import type { AnomalySummary } from '../../shared/dto';
import { useApi, useQuery } from '../api/api-context';
import { baseName, fmtInt, fmtNum, fmtTime } from '../components/format';
import { Empty, ErrorNote } from '../components/states';
import { useApp } from '../state/app-store';

export function LiveView(): React.JSX.Element {
  const api = useApi();
  const { listener, setListener, openAnomaly } = useApp();
  const settings = useQuery((a) => a.getSettings(), []);
  const [newest, setNewest] = useState<AnomalySummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.listenerStatus().then(setListener, (e: Error) => setError(e.message));
    api.listAnomalies({ sort: 'time', offset: 0, limit: 10 }).then((r) => setNewest(r.items), () => undefined);
    return api.on('anomaliesAdded', (p) => setNewest((old) => [...p.newest, ...old].slice(0, 20)));
  }, [api, setListener]);

  async function toggle(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const ports = settings.data?.otlp ?? { httpPort: 4318, grpcPort: 4317 };
      setListener(listener?.state === 'listening' ? await api.stopListener() : await api.startListener(ports));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const s = listener;
  return (
    <div className="live-view" data-testid="live-view">
      <section className="panel">
        <div className="panel-head">
          <h2>OTLP listener</h2>
          <button type="button" className={`btn${s?.state === 'listening' ? '' : ' btn-primary'}`} disabled={busy || s?.state === 'starting'} onClick={() => void toggle()}>
            {s?.state === 'listening' ? 'Stop' : 'Start listening'}
          </button>
        </div>
        <dl className="facts wide">
          <div>
            <dt>State</dt>
            <dd className={`listener-${s?.state ?? 'stopped'}`}>{s?.state ?? '…'}</dd>
          </div>
          <div>
            <dt>OTLP/HTTP</dt>
            <dd>{s?.httpPort ? `127.0.0.1:${s.httpPort}` : `port ${settings.data?.otlp.httpPort ?? 4318} when started`}</dd>
          </div>
          <div>
            <dt>OTLP/gRPC</dt>
            <dd>{s?.grpcPort ? `127.0.0.1:${s.grpcPort}` : `port ${settings.data?.otlp.grpcPort ?? 4317} when started`}</dd>
          </div>
          <div>
            <dt>Received</dt>
            <dd>{fmtInt(s?.received ?? 0)}</dd>
          </div>
          <div>
            <dt>Rejected</dt>
            <dd>{fmtInt(s?.rejected ?? 0)}</dd>
          </div>
          <div>
            <dt>Rate</dt>
            <dd>{fmtNum(s?.ratePerSec ?? 0, 0)} records/s</dd>
          </div>
          <div>
            <dt>Queue</dt>
            <dd>{fmtInt(s?.queueDepth ?? 0)}</dd>
          </div>
        </dl>
        {(error ?? s?.error) && <ErrorNote message={(error ?? s?.error)!} />}
        <p className="muted small">Point an OpenTelemetry SDK or Collector at the endpoint above. It listens on loopback only.</p>
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Newest anomalies</h2>
        </div>
        {newest.length === 0 ? (
          <Empty title="Nothing flagged yet">New anomalies appear here as windows are analysed.</Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Stream</th>
                <th className="num">Window</th>
                <th className="num">Score</th>
                <th>Time</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {newest.map((a) => (
                <tr key={a.id} className="clickable" onClick={() => openAnomaly(a.id)}>
                  <td>{baseName(a.stream)}</td>
                  <td className="num">{fmtInt(a.window)}</td>
                  <td className="num">{fmtNum(a.score, 2)}</td>
                  <td>{fmtTime(a.startTime)}</td>
                  <td>{a.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
