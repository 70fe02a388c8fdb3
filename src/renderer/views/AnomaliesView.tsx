/** Master–detail triage: the virtualised list on the left, the selected anomaly on the right. J/K move. */
import { useEffect, useRef, useState } from 'react';
import type { TriageStatus } from '../../shared/dto';
import { useQuery } from '../api/api-context';
import { AnomalyDetailPanel } from '../components/AnomalyDetail';
import { AnomalyList, type AnomalyListHandle } from '../components/AnomalyList';
import { Empty, ErrorNote, Loading } from '../components/states';
import { TriageBar } from '../components/TriageBar';
import { useApp } from '../state/app-store';

const FILTERS: Array<{ value: TriageStatus | undefined; label: string }> = [
  { value: undefined, label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'dismissed', label: 'Dismissed' },
];

export function AnomaliesView(): React.JSX.Element {
  const { anomalyId, openAnomaly, openLogs, exportAnomalies, bump } = useApp();
  const [status, setStatus] = useState<TriageStatus | undefined>(undefined);
  const list = useRef<AnomalyListHandle | null>(null);
  const detail = useQuery((api) => (anomalyId === null ? Promise.resolve(null) : api.getAnomaly({ id: anomalyId })), [anomalyId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement;
      if (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || e.ctrlKey || e.metaKey || e.altKey) return;
      const step = e.key === 'j' || e.key === 'ArrowDown' ? 1 : e.key === 'k' || e.key === 'ArrowUp' ? -1 : 0;
      if (step === 0) return;
      e.preventDefault();
      const next = list.current?.neighbour(anomalyId ?? -1, step);
      if (next != null) openAnomaly(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [anomalyId, openAnomaly]);

  return (
    <div className="anomalies-view">
      <div className="anomalies-side">
        <div className="segmented filters" role="group" aria-label="Filter by triage status">
          {FILTERS.map((f) => (
            <button key={f.label} type="button" className={status === f.value ? 'on' : ''} onClick={() => setStatus(f.value)}>
              {f.label}
            </button>
          ))}
        </div>
        <AnomalyList status={status} selected={anomalyId} onSelect={openAnomaly} handle={list} />
        <div className="key-hints muted">
          <kbd>J</kbd>/<kbd>K</kbd> move · <kbd>C</kbd> confirm · <kbd>D</kbd> dismiss · <kbd>N</kbd> note · <kbd>S</kbd> suppress similar
        </div>
      </div>
      <div className="anomalies-main">
        {anomalyId === null ? (
          <Empty title="Select an anomaly">Pick one on the left, or press J to start at the top.</Empty>
        ) : detail.error ? (
          <ErrorNote message={detail.error} onRetry={detail.reload} />
        ) : !detail.data ? (
          <Loading what="anomaly" />
        ) : (
          <>
            <TriageBar
              detail={detail.data}
              onChanged={bump}
              onExport={() => exportAnomalies([detail.data!.anomaly.id])}
              onLogs={() => openLogs({ streamId: detail.data!.anomaly.streamId, seq: detail.data!.anomaly.firstEvent, window: detail.data!.anomaly.window })}
            />
            <AnomalyDetailPanel detail={detail.data} />
          </>
        )}
      </div>
    </div>
  );
}
