/**
 * Drop files here or pick them: the files become paths main can read
 * (stageFiles) and an import job starts; progress shows in the ImportTray.
 */
import { useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import { useApp } from '../state/app-store';
import { useFileDrop } from './use-file-drop';

export function ImportDropzone({ compact = false }: { compact?: boolean }): React.JSX.Element {
  const api = useApi();
  const info = useApp((s) => s.info);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function start(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    await api.importFiles({ paths });
  }

  async function importFiles(files: File[]): Promise<void> {
    if (files.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      await start(await api.stageFiles(files));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const drop = useFileDrop((files) => void importFiles(files));

  async function pick(): Promise<void> {
    if (info?.nativeDialogs) {
      try {
        const paths = await api.chooseFiles({ purpose: 'import' });
        if (paths) await start(paths);
      } catch (err) {
        setError((err as Error).message);
      }
    } else {
      input.current?.click();
    }
  }

  return (
    <div
      data-testid="import-dropzone"
      className={`dropzone${drop.over ? ' over' : ''}${compact ? ' compact' : ''}`}
      {...drop.handlers}
    >
      <div className="dropzone-text">
        <strong>{busy ? 'Uploading…' : 'Drop log files here'}</strong>
        {!compact && <span className="muted">Plain text, .gz, .zst, .lz4, JSON lines, OTLP-JSON, CSV metrics</span>}
      </div>
      <button type="button" className="btn" onClick={() => void pick()} disabled={busy}>
        Choose files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="import-file-input"
        onChange={(e) => {
          void importFiles([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
