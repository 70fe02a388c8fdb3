/**
 * The lines themselves: the events around a window with context before and
 * after, and full-text search over the case (the store's FTS5 index) with
 * hits highlighted. A hit jumps to its window; "Back to results" returns.
 */
import { useEffect, useState } from 'react';
import type { SearchHit, SearchResult } from '../../shared/dto';
import { useApi, useQuery } from '../api/api-context';
import { baseName, fmtInt, fmtTime } from '../components/format';
import { Pager } from '../components/Pager';
import { Empty, ErrorNote, Loading } from '../components/states';
import { useApp } from '../state/app-store';

const CONTEXT = 25;
const SPAN = 150;

function Highlighted({ text, ranges }: { text: string; ranges: Array<[number, number]> }): React.JSX.Element {
  const sorted = [...ranges].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const parts: React.ReactNode[] = [];
  let at = 0;
  sorted.forEach(([a, b], i) => {
    if (a < at) return;
    parts.push(text.slice(at, a), <mark key={i}>{text.slice(a, b)}</mark>);
    at = b;
  });
  parts.push(text.slice(at));
  return <>{parts}</>;
}

export function LogView(): React.JSX.Element {
  const api = useApi();
  const { logTarget, openLogs, openStream } = useApp();
  const streams = useQuery((a) => a.listStreams(), []);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchResult | null>(null);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [showResults, setShowResults] = useState(false);
  const [hitSeq, setHitSeq] = useState<number | null>(null);

  useEffect(() => {
    const onMenu = (e: Event): void => {
      if ((e as CustomEvent<string>).detail === 'search') document.getElementById('log-search')?.focus();
    };
    window.addEventListener('driftlock-menu', onMenu);
    return () => window.removeEventListener('driftlock-menu', onMenu);
  }, []);

  const target = logTarget ?? (streams.data?.[0] ? { streamId: streams.data[0].id, seq: 0, window: null } : null);
  const from = target ? Math.max(0, target.seq - CONTEXT) : 0;
  const page = useQuery((a) => (target ? a.listEvents({ streamId: target.streamId, from, limit: SPAN }) : Promise.resolve(null)), [target?.streamId, from]);

  async function search(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    if (!query.trim()) return;
    setSearching(true);
    setSearchError(null);
    try {
      setResults(await api.searchEvents({ query: query.trim(), offset: 0, limit: 200 }));
      setShowResults(true);
    } catch (err) {
      setSearchError((err as Error).message);
    } finally {
      setSearching(false);
    }
  }

  function jump(hit: SearchHit): void {
    setHitSeq(hit.seq);
    setShowResults(false);
    openLogs({ streamId: hit.streamId, seq: hit.seq, window: hit.window });
  }

  const stream = streams.data?.find((s) => s.id === target?.streamId);
  return (
    <div className="log-view" data-testid="log-view">
      <form className="search-bar" onSubmit={(e) => void search(e)} role="search">
        <input
          id="log-search"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search every event in the case (words, “phrases”, prefix*)"
          aria-label="Search events"
          data-testid="log-search"
        />
        <button type="submit" className="btn btn-primary" disabled={searching || !query.trim()}>
          {searching ? 'Searching…' : 'Search'}
        </button>
        {results && !showResults && (
          <button type="button" className="btn" onClick={() => setShowResults(true)} data-testid="back-to-results">
            ← Back to {fmtInt(results.total)} results
          </button>
        )}
        {streams.data && streams.data.length > 1 && (
          <select
            aria-label="Stream"
            value={target?.streamId ?? ''}
            onChange={(e) => openLogs({ streamId: Number(e.target.value), seq: 0, window: null })}
          >
            {streams.data.map((s) => (
              <option key={s.id} value={s.id}>
                {baseName(s.name)}
              </option>
            ))}
          </select>
        )}
      </form>
      {searchError && <ErrorNote message={searchError} />}
      {showResults && results ? (
        <section className="panel" data-testid="search-results">
          <div className="panel-head">
            <h2>
              {fmtInt(results.total)} event{results.total === 1 ? '' : 's'} match “{results.query}”
              {results.total > results.hits.length && <span className="muted"> (first {results.hits.length} shown)</span>}
            </h2>
          </div>
          {results.hits.length === 0 ? (
            <Empty title="No matches">Try fewer words, or a prefix such as timeout*.</Empty>
          ) : (
            <ol className="log-lines">
              {results.hits.map((h) => (
                <li key={`${h.streamId}:${h.seq}`} className="log-line clickable" onClick={() => jump(h)} data-testid="search-hit">
                  <span className="seq">{baseName(h.stream)}:{fmtInt(h.seq)}</span>
                  <span className="win">{h.window !== null ? `w${h.window}` : ''}</span>
                  <code>
                    <Highlighted text={h.text} ranges={h.highlights} />
                  </code>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : (
        <section className="panel">
          <div className="panel-head">
            <h2>
              {stream ? baseName(stream.name) : 'Events'}
              {target?.window !== null && target?.window !== undefined && <span className="muted"> · window {fmtInt(target.window)} with context</span>}
            </h2>
            {target && (
              <div className="pager">
                {target.window !== null && (
                  <button type="button" className="btn" onClick={() => openStream(target.streamId, target.window)}>
                    Show on timeline
                  </button>
                )}
                <Pager
                  canBack={from > 0}
                  canForward={!!page.data && from + SPAN < page.data.total}
                  onBack={() => openLogs({ ...target, seq: Math.max(0, target.seq - SPAN) })}
                  onForward={() => openLogs({ ...target, seq: target.seq + SPAN })}
                />
              </div>
            )}
          </div>
          {page.error ? (
            <ErrorNote message={page.error} onRetry={page.reload} />
          ) : !target ? (
            <Empty title="No events in this case yet">Import a file first.</Empty>
          ) : !page.data ? (
            <Loading what="events" />
          ) : (
            <ol className="log-lines">
              {page.data.events.map((e) => {
                const inWindow = target.window !== null && e.window === target.window;
                return (
                  <li key={e.seq} className={`log-line${inWindow ? ' in-window' : ''}${e.seq === hitSeq ? ' hit' : ''}`}>
                    <span className="seq">{fmtInt(e.seq)}</span>
                    <span className="win">{e.window !== null ? `w${e.window}` : ''}</span>
                    {e.timestamp !== null && <span className="ts">{fmtTime(e.timestamp)}</span>}
                    <code>{e.text}</code>
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      )}
    </div>
  );
}
