/** Analysis settings of this case (profile, windows, compressor, redaction), the signing key, and suppression rules. */
import { useEffect, useState } from 'react';
import type { Settings } from '../../shared/dto';
import { useApi, useQuery } from '../api/api-context';
import { ErrorNote, Loading } from '../components/states';

export function SettingsView(): React.JSX.Element {
  const api = useApi();
  const loaded = useQuery((a) => a.getSettings(), []);
  const key = useQuery((a) => a.getKeyInfo(), []);
  const rules = useQuery((a) => a.listSuppressions(), []);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [patterns, setPatterns] = useState('');
  const [pem, setPem] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (loaded.data) {
      setDraft(loaded.data);
      setPatterns(loaded.data.redaction.customPatterns.join('\n'));
    }
  }, [loaded.data]);

  if (loaded.error) return <ErrorNote message={loaded.error} onRetry={loaded.reload} />;
  if (!draft) return <Loading what="settings" />;

  const num = (k: 'baseline' | 'window' | 'hop' | 'permutations' | 'seed', label: string, hint: string): React.JSX.Element => (
    <label>
      {label}
      <input type="number" min={0} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: Number(e.target.value) })} />
      <span className="hint">{hint}</span>
    </label>
  );

  async function save(rerun: boolean): Promise<void> {
    setError(null);
    setMessage(null);
    try {
      const customPatterns = patterns.split('\n').map((p) => p.trim()).filter(Boolean);
      const { profile, baseline, window, hop, permutations, seed, compressor, otlp, analyst } = draft!;
      await api.updateSettings({ profile, baseline, window, hop, permutations, seed, compressor, otlp, analyst, redaction: { preset: draft!.redaction.preset, customPatterns } });
      if (rerun) await api.reanalyze();
      setMessage(rerun ? 'Saved; the case is being re-analysed.' : 'Saved. New imports use these settings.');
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function importKey(): Promise<void> {
    setError(null);
    try {
      await api.importKey({ pem });
      setPem('');
      key.reload();
      setMessage('Organisation key imported.');
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div className="settings-view" data-testid="settings-view">
      <section className="panel">
        <div className="panel-head">
          <h2>Analysis</h2>
        </div>
        <div className="form form-grid">
          <label>
            Profile
            <select value={draft.profile} onChange={(e) => setDraft({ ...draft, profile: e.target.value as Settings['profile'] })}>
              <option value="sensitive">sensitive — more findings</option>
              <option value="balanced">balanced</option>
              <option value="strict">strict — fewer, stronger findings</option>
            </select>
          </label>
          <label>
            Compressor
            <select value={draft.compressor} onChange={(e) => setDraft({ ...draft, compressor: e.target.value as Settings['compressor'] })}>
              <option value="zstd">zstd (pinned)</option>
              <option value="lz4">lz4</option>
              <option value="deflate">deflate</option>
            </select>
          </label>
          {num('baseline', 'Baseline (events)', 'history each window is compared with')}
          {num('window', 'Window (events)', 'events per scored window of an import; the live listener uses one-minute windows')}
          {num('hop', 'Hop (events)', 'distance between window starts')}
          {num('permutations', 'Permutations', 'N in the p-value; 0 turns the test off')}
          {num('seed', 'Seed', 'fixes every random draw')}
          <label>
            Analyst name
            <input value={draft.analyst} onChange={(e) => setDraft({ ...draft, analyst: e.target.value })} placeholder="recorded with triage decisions" />
          </label>
        </div>
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Redaction at import</h2>
        </div>
        <div className="form">
          <label>
            Policy
            <select value={draft.redaction.preset} onChange={(e) => setDraft({ ...draft, redaction: { ...draft.redaction, preset: e.target.value as Settings['redaction']['preset'] } })}>
              <option value="default">default: identities pseudonymised (equal values stay equal), payment data and secrets masked</option>
              <option value="strict">strict: everything masked</option>
              <option value="none">none: data is already clean</option>
            </select>
          </label>
          <label>
            Extra patterns, masked (one regular expression per line)
            <textarea rows={3} value={patterns} onChange={(e) => setPatterns(e.target.value)} placeholder="CUST-[0-9]{6}" />
          </label>
        </div>
        <div className="form-foot">
          <span className="muted">Emails, IP addresses, card numbers (Luhn), IBANs, phone numbers, JWTs and API keys are covered unless the policy is none. Applies to new imports.</span>
          <div className="row">
            <button type="button" className="btn" onClick={() => void save(false)}>
              Save
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void save(true)}>
              Save and re-analyse
            </button>
          </div>
        </div>
        {message && <p className="ok-text">{message}</p>}
        {error && <ErrorNote message={error} />}
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Signing key</h2>
        </div>
        {key.data && (
          <dl className="kv">
            <dt>Algorithm</dt>
            <dd>{key.data.algorithm}</dd>
            <dt>Fingerprint</dt>
            <dd>
              <code className="hash">{key.data.fingerprint || 'no key yet: one is generated on first export'}</code>
            </dd>
            <dt>Source</dt>
            <dd>{key.data.source}</dd>
          </dl>
        )}
        {key.error && <ErrorNote message={key.error} />}
        <label className="form">
          Import an organisation key (PEM, PKCS#8 Ed25519)
          <textarea rows={3} value={pem} onChange={(e) => setPem(e.target.value)} placeholder="-----BEGIN PRIVATE KEY-----" />
        </label>
        <button type="button" className="btn" disabled={!pem.trim()} onClick={() => void importKey()}>
          Import key
        </button>
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Suppression rules</h2>
        </div>
        {rules.data && rules.data.length === 0 && <p className="muted">None. “Suppress similar” on an anomaly adds one.</p>}
        {rules.data && rules.data.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>Leading line</th>
                <th>Scope</th>
                <th>Added</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rules.data.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>
                    <code>{r.pattern}</code>
                  </td>
                  <td>{r.streamId === null ? 'all streams' : `stream ${r.streamId}`}</td>
                  <td>{r.createdAt}</td>
                  <td>
                    <button type="button" className="btn btn-quiet" onClick={() => void api.removeSuppression({ id: r.id }).then(rules.reload)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
