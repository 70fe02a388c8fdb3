/**
 * Evidence: export the selected anomalies as a signed bundle with the
 * analyst's fields, and verify a bundle (dropped or picked) check by check.
 */
import { useEffect, useState } from 'react';
import type { ExportResult, VerifyResult } from '../../shared/dto';
import { useApi, useQuery, useTransport } from '../api/api-context';
import { baseName, fmtBytes, fmtInt } from '../components/format';
import { ErrorNote } from '../components/states';
import { useFileDrop } from '../components/use-file-drop';
import { useApp } from '../state/app-store';

export function EvidenceView(): React.JSX.Element {
  return (
    <div className="evidence-view">
      <ExportPanel />
      <VerifyPanel />
    </div>
  );
}

function ExportPanel(): React.JSX.Element {
  const api = useApi();
  const { downloadLink } = useTransport();
  const { exportSelection, info } = useApp();
  const confirmed = useQuery((a) => a.listAnomalies({ status: 'confirmed', sort: 'score', offset: 0, limit: 1000 }), []);
  const key = useQuery((a) => a.getKeyInfo(), []);
  const [useConfirmed, setUseConfirmed] = useState(exportSelection.length === 0);
  const [fields, setFields] = useState({ incidentId: '', classification: '', reporter: '' });
  const [outPath, setOutPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  useEffect(() => setUseConfirmed(exportSelection.length === 0), [exportSelection]);

  const ids = useConfirmed ? (confirmed.data?.items.map((a) => a.id) ?? []) : exportSelection;

  async function run(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const optional = Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
      setResult(await api.exportEvidence({ anomalyIds: ids, ...optional, ...(outPath.trim() && { outPath: outPath.trim() }) }));
      key.reload(); // the first export creates the signing key
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function chooseOut(): Promise<void> {
    const p = await api.chooseFiles({ purpose: 'save-bundle', defaultName: 'evidence.zip' });
    if (p?.[0]) setOutPath(p[0]);
  }

  const field = (name: keyof typeof fields, label: string, placeholder: string): React.JSX.Element => (
    <label>
      {label}
      <input value={fields[name]} placeholder={placeholder} onChange={(e) => setFields({ ...fields, [name]: e.target.value })} data-testid={`export-${name}`} />
    </label>
  );

  return (
    <section className="panel" data-testid="evidence-export">
      <div className="panel-head">
        <h2>Export an evidence bundle</h2>
      </div>
      <form className="form" onSubmit={(e) => void run(e)}>
        <fieldset className="choice">
          <legend>Anomalies</legend>
          {exportSelection.length > 0 && (
            <label className="radio">
              <input type="radio" checked={!useConfirmed} onChange={() => setUseConfirmed(false)} /> Selected: {exportSelection.map((i) => `#${i}`).join(', ')}
            </label>
          )}
          <label className="radio">
            <input type="radio" checked={useConfirmed} onChange={() => setUseConfirmed(true)} /> All confirmed ({fmtInt(confirmed.data?.total ?? 0)})
          </label>
        </fieldset>
        <div className="form-grid">
          {field('incidentId', 'Incident id', 'INC-2026-0142')}
          {field('classification', 'Classification', 'major ICT-related incident (DORA)')}
          {field('reporter', 'Reporter', 'name, role')}
        </div>
        <label>
          Save to
          <div className="row">
            <input value={outPath} onChange={(e) => setOutPath(e.target.value)} placeholder={info?.defaultExportDir ? `${info.defaultExportDir}/… (default)` : 'default folder next to the case'} />
            {info?.nativeDialogs && (
              <button type="button" className="btn" onClick={() => void chooseOut()}>
                Choose…
              </button>
            )}
          </div>
        </label>
        <div className="form-foot">
          <span className="muted">
            Signed with Ed25519 key <code>{key.data?.shortFingerprint || 'created on first export'}</code>
          </span>
          <button type="submit" className="btn btn-primary" disabled={busy || ids.length === 0} data-testid="export-submit">
            {busy ? 'Exporting…' : `Export ${ids.length} anomal${ids.length === 1 ? 'y' : 'ies'}`}
          </button>
        </div>
      </form>
      {error && <ErrorNote message={error} />}
      {result && (
        <div className="result ok" data-testid="export-result">
          <strong>Bundle written.</strong>
          <dl className="kv">
            <dt>File</dt>
            <dd>
              <code>{result.path}</code>
            </dd>
            <dt>Size</dt>
            <dd>{fmtBytes(result.bytes)}</dd>
            <dt>SHA-256</dt>
            <dd>
              <code className="hash">{result.sha256}</code>
            </dd>
            <dt>Signing key</dt>
            <dd>
              <code className="hash">{result.keyFingerprint}</code>
            </dd>
            <dt>Anomalies</dt>
            <dd>{result.anomalies}</dd>
          </dl>
          {downloadLink(result.path) && (
            <a className="btn" href={downloadLink(result.path)!} download={result.fileName}>
              Download {result.fileName}
            </a>
          )}
        </div>
      )}
    </section>
  );
}

function VerifyPanel(): React.JSX.Element {
  const api = useApi();
  const info = useApp((s) => s.info);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [path, setPath] = useState('');

  async function verifyPath(p: string): Promise<void> {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.verifyEvidence({ path: p }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  async function verifyFiles(files: File[]): Promise<void> {
    const file = files[0];
    if (!file) return;
    try {
      const [p] = await api.stageFiles([file]);
      if (p) await verifyPath(p);
    } catch (err) {
      setError((err as Error).message);
    }
  }
  const drop = useFileDrop((files) => void verifyFiles(files));

  async function pick(): Promise<void> {
    const p = await api.chooseFiles({ purpose: 'verify-bundle' });
    if (p?.[0]) await verifyPath(p[0]);
  }

  return (
    <section className="panel" data-testid="evidence-verify">
      <div className="panel-head">
        <h2>Verify a bundle</h2>
      </div>
      <div
        className={`dropzone compact${drop.over ? ' over' : ''}`}
        data-testid="verify-dropzone"
        {...drop.handlers}
      >
        <div className="dropzone-text">
          <strong>{busy ? 'Verifying…' : 'Drop a bundle (.zip) here'}</strong>
          <span className="muted">Checks the signature, every file hash, the audit chain, and re-computes every window.</span>
        </div>
        {info?.nativeDialogs ? (
          <button type="button" className="btn" onClick={() => void pick()}>
            Choose…
          </button>
        ) : (
          <label className="btn">
            Choose…
            <input type="file" accept=".zip" hidden data-testid="verify-file-input" onChange={(e) => void verifyFiles([...(e.target.files ?? [])])} />
          </label>
        )}
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void verifyPath(path.trim());
        }}
      >
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="…or a bundle path on this machine" data-testid="verify-path" />
        <button type="submit" className="btn" disabled={!path.trim() || busy}>
          Verify
        </button>
      </form>
      {error && <ErrorNote message={error} />}
      {result && (
        <div className={`result ${result.ok ? 'ok' : 'bad'}`} data-testid="verify-result" data-ok={result.ok}>
          <strong>{result.ok ? 'Bundle verified: every check passed.' : 'Verification FAILED.'}</strong>
          {result.path && <div className="muted">{baseName(result.path)}</div>}
          <ul className="checks">
            {result.checks.map((c, i) => (
              <li key={i} className={c.ok ? 'pass' : 'fail'} data-testid="verify-check">
                <span className="mark" aria-label={c.ok ? 'passed' : 'failed'}>
                  {c.ok ? '✓' : '✗'}
                </span>
                <span className="check-name">{c.name}</span>
                <span className="check-detail muted">{c.detail}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
