/** Confirm, dismiss, reopen, note and suppress-similar; each has a key (see the hints). */
import { useEffect, useRef, useState } from 'react';
import type { AnomalyDetail } from '../../shared/dto';
import { useApi } from '../api/api-context';

export function TriageBar({
  detail,
  onChanged,
  onExport,
  onLogs,
}: {
  detail: AnomalyDetail;
  onChanged: () => void;
  onExport: () => void;
  onLogs: () => void;
}): React.JSX.Element {
  const api = useApi();
  const [note, setNote] = useState(detail.triage.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const id = detail.anomaly.id;

  // Messages belong to the anomaly they were about; the note text follows the store.
  // Kept apart because a save refetches the detail, which changes triage.note and
  // must not wipe the "Note saved." it just produced.
  useEffect(() => {
    setMessage(null);
    setError(null);
  }, [id]);
  useEffect(() => {
    setNote(detail.triage.note ?? '');
  }, [id, detail.triage.note]);

  async function act(work: () => Promise<string | null>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      setMessage(await work());
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  const setStatus = (status: 'open' | 'confirmed' | 'dismissed'): Promise<void> =>
    act(async () => {
      await api.triage({ id, status });
      return null;
    });
  const saveNote = (): Promise<void> =>
    act(async () => {
      await api.triage({ id, note: note.trim() === '' ? null : note });
      return 'Note saved.';
    });
  const suppress = (): Promise<void> =>
    act(async () => {
      const r = await api.suppressSimilar({ id, allStreams: false });
      return `Suppression rule ${r.rule.id} added; it dismissed ${r.dismissed} open anomal${r.dismissed === 1 ? 'y' : 'ies'}.`;
    });

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement;
      if (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || e.ctrlKey || e.metaKey || e.altKey) return;
      const actions: Record<string, () => void> = {
        c: () => void setStatus('confirmed'),
        d: () => void setStatus('dismissed'),
        o: () => void setStatus('open'),
        s: () => void suppress(),
        n: () => noteRef.current?.focus(),
        e: onExport,
        l: onLogs,
      };
      const action = actions[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const status = detail.triage.status;
  return (
    <div className="triage" data-testid="triage-bar">
      <div className="triage-buttons">
        <button type="button" className={`btn${status === 'confirmed' ? ' btn-on' : ''}`} disabled={busy} onClick={() => void setStatus('confirmed')} data-testid="triage-confirm">
          Confirm <kbd>C</kbd>
        </button>
        <button type="button" className={`btn${status === 'dismissed' ? ' btn-on' : ''}`} disabled={busy} onClick={() => void setStatus('dismissed')} data-testid="triage-dismiss">
          Dismiss <kbd>D</kbd>
        </button>
        {status !== 'open' && (
          <button type="button" className="btn" disabled={busy} onClick={() => void setStatus('open')}>
            Reopen <kbd>O</kbd>
          </button>
        )}
        <button type="button" className="btn" disabled={busy} onClick={() => void suppress()} title="Suppress open anomalies in this stream whose leading line is the same">
          Suppress similar <kbd>S</kbd>
        </button>
        <span className="spacer" />
        <button type="button" className="btn" onClick={onLogs}>
          Lines <kbd>L</kbd>
        </button>
        <button type="button" className="btn btn-primary" onClick={onExport} data-testid="triage-export">
          Export <kbd>E</kbd>
        </button>
      </div>
      <div className="triage-note">
        <textarea
          ref={noteRef}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="Note for the record (N to focus, Ctrl+Enter to save)"
          rows={2}
          data-testid="triage-note"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void saveNote();
            if (e.key === 'Escape') (e.target as HTMLTextAreaElement).blur();
          }}
        />
        <button type="button" className="btn" disabled={busy || note === (detail.triage.note ?? '')} onClick={() => void saveNote()}>
          Save note
        </button>
      </div>
      <div className="triage-foot muted">
        {detail.triage.by && `Last decision by ${detail.triage.by}${detail.triage.at ? ` at ${detail.triage.at}` : ''}. `}
        {message}
        {error && <span className="error-text"> {error}</span>}
      </div>
    </div>
  );
}
