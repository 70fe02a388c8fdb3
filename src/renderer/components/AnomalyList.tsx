/**
 * Every anomaly of the case in one scrollable list. Rows are virtualised and
 * fetched in pages as they scroll into view, so 100,000 windows cost what the
 * screen shows.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnomalySummary, TriageStatus } from '../../shared/dto';
import { useApi } from '../api/api-context';
import { useApp } from '../state/app-store';
import { baseName, fmtInt, fmtNum, fmtP } from './format';
import { Empty, ErrorNote, Loading, StatusBadge } from './states';

const PAGE = 200;
const ROW_H = 58;

export interface AnomalyListHandle {
  /** Ids in list order that are loaded, for keyboard navigation. */
  neighbour(id: number, step: 1 | -1): number | null;
}

export function AnomalyList({
  status,
  selected,
  onSelect,
  handle,
}: {
  status: TriageStatus | undefined;
  selected: number | null;
  onSelect: (id: number) => void;
  handle: React.MutableRefObject<AnomalyListHandle | null>;
}): React.JSX.Element {
  const api = useApi();
  const revision = useApp((s) => s.revision);
  const [total, setTotal] = useState<number | null>(null);
  // Pages carry the generation they were fetched in: after a change (triage,
  // new anomalies) the rows stay on screen until their refreshed page arrives.
  const [pages, setPages] = useState<Map<number, { items: AnomalySummary[]; gen: number }>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(new Set<number>());
  const scroller = useRef<HTMLDivElement>(null);
  const generation = useRef(0);

  const load = useCallback(
    (page: number, gen: number) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      api.listAnomalies({ ...(status && { status }), sort: 'score', offset: page * PAGE, limit: PAGE }).then(
        (r) => {
          if (gen !== generation.current) return;
          setTotal(r.total);
          setPages((m) => new Map(m).set(page, { items: r.items, gen }));
        },
        (e: Error) => setError(e.message),
      ).finally(() => loading.current.delete(page));
    },
    [api, status],
  );

  // A new filter starts from scratch; a new revision refreshes in place.
  useEffect(() => {
    generation.current++;
    loading.current = new Set();
    setPages(new Map());
    setTotal(null);
    setError(null);
    load(0, generation.current);
  }, [load]);
  const firstRevision = useRef(revision);
  useEffect(() => {
    if (revision === firstRevision.current) return;
    generation.current++;
    loading.current = new Set();
    setError(null);
    setPages((m) => new Map(m));
  }, [revision]);

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_H,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  // Fetch the pages in view once scrolling pauses: a fast fling over 20,000
  // rows should not queue a request for every page it passes.
  useEffect(() => {
    const timer = setTimeout(() => {
      for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
        if (pages.get(p)?.gen !== generation.current) load(p, generation.current);
      }
    }, 60);
    return () => clearTimeout(timer);
  }, [first, last, pages, load]);

  handle.current = {
    neighbour(id, step) {
      // Positions in the whole list (pages may be loaded sparsely); -1 when id is not loaded.
      let index = -1;
      for (const [p, page] of pages) {
        const j = page.items.findIndex((a) => a.id === id);
        if (j >= 0) index = p * PAGE + j;
      }
      const target = index + step;
      const next = target >= 0 ? pages.get(Math.floor(target / PAGE))?.items[target % PAGE] : undefined;
      if (!next) return null;
      virtualizer.scrollToIndex(target, { align: 'auto' });
      return next.id;
    },
  };

  if (error) return <ErrorNote message={error} />;
  if (total === null) return <Loading what="anomalies" />;
  if (total === 0)
    return (
      <div data-testid="anomaly-list" className="anomaly-list">
        <Empty title={status ? `No ${status} anomalies` : 'No anomalies in this case'}>
          {status ? 'Change the filter to see the others.' : 'Every window was consistent with its baseline at the current profile.'}
        </Empty>
      </div>
    );

  return (
    <div ref={scroller} className="anomaly-list" data-testid="anomaly-list" role="listbox" aria-label={`${fmtInt(total)} anomalies`}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((v) => {
          const a = pages.get(Math.floor(v.index / PAGE))?.items[v.index % PAGE];
          return (
            <div
              key={v.key}
              className={`anomaly-row${a && a.id === selected ? ' selected' : ''}`}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_H, transform: `translateY(${v.start}px)` }}
              role="option"
              aria-selected={a?.id === selected}
              data-testid={a ? 'anomaly-row' : 'anomaly-row-loading'}
              data-id={a?.id}
              onClick={() => a && onSelect(a.id)}
            >
              {a ? (
                <>
                  <div className="anomaly-row-top">
                    <span className="score" title="score">
                      {fmtNum(a.score, 2)}
                    </span>
                    <span className="anomaly-stream" title={a.stream}>
                      {baseName(a.stream)} · window {fmtInt(a.window)}
                    </span>
                    <StatusBadge status={a.suppressedBy !== null ? 'suppressed' : a.status} />
                  </div>
                  <div className="anomaly-row-sub muted">
                    events {fmtInt(a.firstEvent)}–{fmtInt(a.lastEvent)} · p {fmtP(a.pValue)} · q {fmtP(a.qValue)}
                  </div>
                </>
              ) : (
                <span className="muted">…</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
