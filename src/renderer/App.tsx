/** The window: sidebar, case header, the current screen, import progress. */
import { useEffect, useState } from 'react';
import type { MenuCommand } from '../shared/dto';
import { useApi, useTransport } from './api/api-context';
import { ImportTray } from './components/ImportTray';
import { fmtInt } from './components/format';
import { ErrorNote, Loading } from './components/states';
import { useApp, type View } from './state/app-store';
import { AnomaliesView } from './views/AnomaliesView';
import { EvidenceView } from './views/EvidenceView';
import { LiveView } from './views/LiveView';
import { LogView } from './views/LogView';
import { OverviewView } from './views/OverviewView';
import { SettingsView } from './views/SettingsView';
import { StreamView } from './views/StreamView';
import { WelcomeView } from './views/WelcomeView';

const NAV: Array<{ view: View; label: string; key: string }> = [
  { view: 'overview', label: 'Overview', key: '1' },
  { view: 'anomalies', label: 'Anomalies', key: '2' },
  { view: 'logs', label: 'Logs & search', key: '3' },
  { view: 'evidence', label: 'Evidence', key: '4' },
  { view: 'live', label: 'Live OTLP', key: '5' },
  { view: 'settings', label: 'Settings', key: '6' },
];

const MENU_VIEWS: Partial<Record<MenuCommand, View>> = {
  'go-overview': 'overview',
  'go-anomalies': 'anomalies',
  'go-logs': 'logs',
  'go-live': 'live',
  'go-settings': 'settings',
  'export-evidence': 'evidence',
  'verify-evidence': 'evidence',
  search: 'logs',
};

export function App(): React.JSX.Element {
  const api = useApi();
  const { info, caseInfo, view, setInfo, setCase, go, trackImport, setListener, bump } = useApp();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.getAppInfo().then(setInfo, (e: Error) => setError(e.message));
    const offs = [
      api.on('caseChanged', (p) => setCase(p.case)),
      api.on('importProgress', (p) => {
        trackImport(p);
        if (p.done) bump();
      }),
      api.on('anomaliesAdded', () => bump()),
      api.on('listenerStatus', (s) => setListener(s)),
      api.on('menuCommand', ({ command }) => {
        const target = MENU_VIEWS[command];
        if (target) go(target);
        window.dispatchEvent(new CustomEvent('driftlock-menu', { detail: command }));
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [api, setInfo, setCase, trackImport, setListener, bump, go]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey) return;
      const item = NAV.find((n) => n.key === e.key);
      if (item && caseInfo) {
        e.preventDefault();
        go(item.view);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, caseInfo]);

  if (error) return <ErrorNote message={error} onRetry={() => location.reload()} />;
  if (!info) return <Loading what="Driftlock" />;

  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <div>
            <div className="brand-name">Driftlock</div>
            <div className="brand-sub">v{info.version} · {info.transport === 'electron' ? 'desktop' : 'browser'}</div>
          </div>
        </div>
        {caseInfo && (
          <nav aria-label="Screens">
            {NAV.map((n) => (
              <button
                key={n.view}
                type="button"
                className={`nav-item${view === n.view || (view === 'stream' && n.view === 'overview') ? ' active' : ''}`}
                onClick={() => go(n.view)}
                title={`Ctrl+${n.key}`}
              >
                {n.label}
                {n.view === 'anomalies' && caseInfo.openAnomalies > 0 && <span className="nav-count">{fmtInt(caseInfo.openAnomalies)}</span>}
              </button>
            ))}
          </nav>
        )}
        <div className="sidebar-foot">Local only · nothing leaves this machine</div>
      </aside>
      <main className="main">
        {caseInfo ? (
          <>
            <CaseHeader />
            <div className="screen">{renderView(view)}</div>
          </>
        ) : (
          <WelcomeView />
        )}
        <ImportTray />
      </main>
    </div>
  );
}

function renderView(view: View): React.JSX.Element {
  switch (view) {
    case 'overview':
      return <OverviewView />;
    case 'stream':
      return <StreamView />;
    case 'anomalies':
      return <AnomaliesView />;
    case 'logs':
      return <LogView />;
    case 'evidence':
      return <EvidenceView />;
    case 'live':
      return <LiveView />;
    case 'settings':
      return <SettingsView />;
  }
}

function CaseHeader(): React.JSX.Element {
  const { caseInfo } = useApp();
  const { api } = useTransport();
  if (!caseInfo) return <></>;
  return (
    <header className="case-header">
      <div>
        <h1 className="case-title" title={caseInfo.path}>
          {caseInfo.name}
        </h1>
        <div className="case-path">{caseInfo.path}</div>
      </div>
      <dl className="case-stats">
        <div>
          <dt>Sources</dt>
          <dd>{fmtInt(caseInfo.sources)}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{fmtInt(caseInfo.events)}</dd>
        </div>
        <div>
          <dt>Windows</dt>
          <dd>{fmtInt(caseInfo.windows)}</dd>
        </div>
        <div>
          <dt>Anomalies</dt>
          <dd>
            {fmtInt(caseInfo.anomalies)}
            {caseInfo.openAnomalies > 0 && <span className="muted"> ({fmtInt(caseInfo.openAnomalies)} open)</span>}
          </dd>
        </div>
      </dl>
      <button type="button" className="btn btn-quiet" onClick={() => void api.closeCase()}>
        Close case
      </button>
    </header>
  );
}
