/** First screen without a case: the sample case first, then new or existing cases. */
import { useState } from 'react';
import { useApi } from '../api/api-context';
import { useApp } from '../state/app-store';

export function WelcomeView(): React.JSX.Element {
  const api = useApi();
  const info = useApp((s) => s.info);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pathMode, setPathMode] = useState<'open' | 'new' | null>(null);
  const [path, setPath] = useState('');

  async function run(action: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function choose(mode: 'open' | 'new'): Promise<void> {
    if (!info?.nativeDialogs) {
      setPathMode(mode);
      return;
    }
    const paths = await api.chooseFiles({ purpose: mode === 'open' ? 'open-case' : 'new-case', defaultName: 'case.driftlock' });
    const p = paths?.[0];
    if (p) await (mode === 'open' ? api.openCase({ path: p }) : api.newCase({ path: p }));
  }

  return (
    <div className="welcome">
      <h1>Find what changed in your logs, and prove it.</h1>
      <p className="lead">
        Driftlock compares each window of events with what came before it, using a pinned compressor, and flags the windows that
        the past cannot explain. Every finding comes with its reason, the exact lines, and a signed bundle an auditor can verify
        offline.
      </p>
      <div className="welcome-actions">
        <button type="button" className="btn btn-primary btn-large" disabled={busy || !info?.sampleLog} onClick={() => void run(() => api.openSampleCase())}>
          Open sample case
        </button>
        <button type="button" className="btn btn-large" disabled={busy} onClick={() => void run(() => choose('new'))}>
          New case…
        </button>
        <button type="button" className="btn btn-large" disabled={busy} onClick={() => void run(() => choose('open'))}>
          Open case…
        </button>
      </div>
      <p className="muted small">
        The sample is a generated checkout-service log with one known incident; it imports and analyses in a few seconds.
      </p>
      {pathMode && (
        <form
          className="path-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => (pathMode === 'open' ? api.openCase({ path }) : api.newCase({ path })));
          }}
        >
          <label>
            {pathMode === 'open' ? 'Path of the case file to open' : 'Path of the new case file'}
            <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/analyst/cases/incident-42.driftlock" autoFocus />
          </label>
          <button type="submit" className="btn btn-primary" disabled={!path.trim() || busy}>
            {pathMode === 'open' ? 'Open' : 'Create'}
          </button>
        </form>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
