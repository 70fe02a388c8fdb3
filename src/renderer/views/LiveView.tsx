/** The local OTLP listener: its ports, state and rates, start/stop, and the newest anomalies as they arrive. */
import { useEffect, useState } from 'react';
import type { AnomalySummary, ListenerStatus } from '../../shared/dto';
import { useApi, useQuery } from '../api/api-context';
import { fmtInt, fmtNum, fmtTime } from '../components/format';
import { Empty, ErrorNote } from '../components/states';
import { useApp } from '../state/app-store';

type Ports = { httpPort: number; grpcPort: number };

/** Newest first, each anomaly once (a finding can be announced again by a later batch's "newest ten"). */
function mergeNewest(incoming: readonly AnomalySummary[], old: readonly AnomalySummary[]): AnomalySummary[] {
  const byId = new Map<number, AnomalySummary>();
  for (const a of [...incoming, ...old]) if (!byId.has(a.id)) byId.set(a.id, a);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, 20);
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 65535;
}

const STATE_LABEL: Record<ListenerStatus['state'], string> = {
  stopped: 'stopped',
  starting: 'starting…',
  listening: 'listening',
  stopping: 'stopping: storing what is queued, finishing the analysis…',
  error: 'could not start',
};

export function LiveView(): React.JSX.Element {
  const api = useApi();
  const { listener, setListener, openAnomaly } = useApp();
  const settings = useQuery((a) => a.getSettings(), []);
  const [ports, setPorts] = useState<Ports | null>(null);
  const [newest, setNewest] = useState<AnomalySummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.listenerStatus().then(setListener, (e: Error) => setError(e.message));
    api.listAnomalies({ sort: 'time', offset: 0, limit: 10 }).then((r) => setNewest((old) => mergeNewest(r.items, old)), () => undefined);
    return api.on('anomaliesAdded', (p) => setNewest((old) => mergeNewest(p.newest, old)));
  }, [api, setListener]);

  // The saved ports fill the fields once; later refetches (new anomalies bump the case) must not undo an edit.
  useEffect(() => {
    if (settings.data && !ports) setPorts({ ...settings.data.otlp });
  }, [settings.data, ports]);

  const s = listener;
  const running = s?.state === 'listening' || s?.state === 'starting' || s?.state === 'stopping';
  const portsValid = ports !== null && validPort(ports.httpPort) && validPort(ports.grpcPort);

  async function toggle(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      if (s?.state === 'listening') {
        setListener(await api.stopListener());
        return;
      }
      const wanted = ports ?? settings.data?.otlp ?? { httpPort: 4318, grpcPort: 4317 };
      const saved = settings.data?.otlp;
      if (saved && (saved.httpPort !== wanted.httpPort || saved.grpcPort !== wanted.grpcPort)) await api.updateSettings({ otlp: wanted });
      setListener(await api.startListener(wanted));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const portField = (key: keyof Ports, label: string): React.JSX.Element => (
    <label>
      {label}
      <input
        type="number"
        min={0}
        max={65535}
        data-testid={`listener-${key === 'httpPort' ? 'http' : 'grpc'}-port-input`}
        value={ports?.[key] ?? ''}
        disabled={running}
        onChange={(e) => setPorts({ ...(ports ?? { httpPort: 4318, grpcPort: 4317 }), [key]: Number(e.target.value) })}
      />
    </label>
  );

  const endpoint = (bound: number | null | undefined): React.JSX.Element =>
    bound ? <>127.0.0.1:{bound}</> : <span className="muted">not listening</span>;
  const lastSession = s?.state === 'stopped' && s.received + s.rejectedRequests > 0;
  const problem = error ?? s?.error ?? null;

  return (
    <div className="live-view" data-testid="live-view">
      <section className="panel">
        <div className="panel-head">
          <h2>OTLP listener</h2>
          <button
            type="button"
            data-testid="listener-toggle"
            className={`btn${s?.state === 'listening' ? '' : ' btn-primary'}`}
            disabled={busy || s?.state === 'starting' || s?.state === 'stopping' || (!running && !portsValid)}
            onClick={() => void toggle()}
          >
            {s?.state === 'listening' ? 'Stop' : s?.state === 'stopping' ? 'Stopping…' : 'Start listening'}
          </button>
        </div>
        <div className="live-ports">
          {portField('httpPort', 'OTLP/HTTP port')}
          {portField('grpcPort', 'OTLP/gRPC port')}
          <span className="hint">0 picks any free port; the ports in use show below once started. Saved with the case.</span>
        </div>
        <dl className="facts live-endpoint" data-testid="listener-status" data-state={s?.state ?? 'stopped'}>
          <div>
            <dt>State</dt>
            <dd className={`listener-${s?.state ?? 'stopped'}`}>{s ? STATE_LABEL[s.state] : '…'}</dd>
          </div>
          <div>
            <dt>OTLP/HTTP</dt>
            <dd data-testid="listener-http" data-port={s?.httpPort ?? ''}>
              {endpoint(s?.httpPort)}
            </dd>
          </div>
          <div>
            <dt>OTLP/gRPC</dt>
            <dd data-testid="listener-grpc" data-port={s?.grpcPort ?? ''}>
              {endpoint(s?.grpcPort)}
            </dd>
          </div>
        </dl>
        <dl className="facts live-counts" title={lastSession ? 'the last session’s counts' : undefined}>
          <div>
            <dt>Records received{lastSession && ' (last session)'}</dt>
            <dd data-testid="listener-received" data-value={s?.received ?? 0}>
              {fmtInt(s?.received ?? 0)}
            </dd>
          </div>
          <div>
            <dt>Events stored</dt>
            <dd data-testid="listener-stored" data-value={s?.stored ?? 0} title="events committed to the case (a span with GenAI messages adds one per message)">
              {fmtInt(s?.stored ?? 0)}
            </dd>
          </div>
          <div>
            <dt>Rejected</dt>
            <dd title="records refused inside accepted requests · whole requests refused">
              {fmtInt(s?.rejected ?? 0)}
              {(s?.rejectedRequests ?? 0) > 0 && <span className="muted"> · {fmtInt(s!.rejectedRequests)} requests</span>}
            </dd>
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
        {problem && <ErrorNote message={problem} />}
        <p className="muted small">
          Point an OpenTelemetry SDK or Collector at the endpoint above (OTLP/HTTP: /v1/logs, /v1/traces, /v1/metrics). It listens on loopback only and
          writes into this case under its redaction policy. Streams are analysed live in one-minute windows with the case’s baseline, profile,
          permutations, seed and compressor (Settings, read when the listener starts), decided per five minutes of data time and when the listener
          stops.
        </p>
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Newest anomalies</h2>
        </div>
        {newest.length === 0 ? (
          <Empty title="Nothing flagged yet">New anomalies appear here as windows are analysed.</Empty>
        ) : (
          <table className="table" data-testid="live-anomalies">
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
                  <td>{a.stream}</td>
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
