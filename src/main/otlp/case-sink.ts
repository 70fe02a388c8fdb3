import { createHash, randomUUID } from 'node:crypto';
import type { RedactionCounts, RedactionPolicy } from '../../shared/redaction-policy';
import type { LiveCommit } from '../analysis/live-analysis';
import { AUDIT_ACTIONS } from '../audit/audit-actions';
import { prepareEvent, type EventOrigin } from '../ingest/prepare-event';
import { Redactor } from '../ingest/redaction';
import type { CaseStore, NewEvent } from '../store';
import { SETTING_KEYS } from '../store/settings-repo';
import type { EventSink, ReceivedEvent, Submission, Transport } from './event-sink';

export interface CaseSinkOptions {
  redaction: RedactionPolicy;
  /** Who the audit log names for the session's sources. */
  actor: string;
  /** Where a transport listens (`otlp-http://127.0.0.1:4318`): the live source's path. */
  sourcePath: (transport: Transport) => string;
  /** After each commit: the streams it grew. */
  onCommit?: (commits: LiveCommit[]) => void;
}

/** Events indexed per step when the receiver is idle (tens of milliseconds of work). */
const INDEX_STEP = 5000;
/** Beyond this many unindexed events, indexing goes on even while requests wait. */
const MAX_UNINDEXED = 1_000_000;
/** Indexing starts once no request has been stored for this long (a burst is stored first, indexed after). */
const QUIET_MS = 250;

/** A live source of this session and what it has taken so far. */
interface LiveSource {
  id: number;
  transport: Transport;
  path: string;
  redactor: Redactor;
  requests: number;
  bytes: number;
}

/**
 * The case file as the receiver's sink. Events pass the same door as a file
 * import (prepareEvent: redaction under the session's policy, then
 * canonicalisation) and are appended through the store's one writer; each
 * transport of a session is one source (kind otlp-http, otlp-grpc or rest),
 * whose "lines" are the requests it accepted. Everything the queue hands
 * over in one call is one transaction: its events, the sources' progress and
 * redaction counts commit together, and the promise resolves after COMMIT
 * (with synchronous=FULL, after the WAL is on disk). The full-text index is
 * brought up to date once no request has come for QUIET_MS (it is about
 * half the cost of an append), so a burst is stored first and made
 * searchable after; past MAX_UNINDEXED it is indexed even during a burst.
 */
export class CaseSink implements EventSink {
  private readonly sources = new Map<Transport, LiveSource>();
  private readonly key: Buffer;
  private readonly session = randomUUID();
  private indexTimer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private busy: () => boolean = () => false;
  private closed = false;
  private lastAppend = 0;

  constructor(
    private readonly store: CaseStore,
    private readonly options: CaseSinkOptions,
  ) {
    this.key = store.settings.hmacKey();
  }

  private source(transport: Transport): LiveSource {
    let s = this.sources.get(transport);
    if (s) return s;
    const { store } = this;
    const path = this.options.sourcePath(transport);
    // A live source has no file to hash: its identity is the session (unique per case, transport and start).
    const sha256 = createHash('sha256').update(`${store.settings.get(SETTING_KEYS.caseId) ?? ''}\n${transport}\n${this.session}`).digest('hex');
    const row = store.transaction(() =>
      store.sources.create(
        { path, sha256, kind: transport, compression: 'none', size: 0, defaultStream: transport, redactionPolicy: this.options.redaction },
        store.now(),
      ),
    );
    s = { id: row.id, transport, path, redactor: new Redactor(this.options.redaction, this.key), requests: 0, bytes: 0 };
    this.sources.set(transport, s);
    return s;
  }

  async append(submissions: readonly Submission[]): Promise<void> {
    const { store } = this;
    const added = new Map<string, number>();
    const touched = new Map<LiveSource, { before: { requests: number; bytes: number; counts: RedactionCounts }; events: number; dropped: number }>();
    const work: { events: readonly ReceivedEvent[]; redactor: Redactor; origin: EventOrigin; tally: { events: number; dropped: number } }[] = [];
    for (const sub of submissions) {
      const src = this.source(sub.transport);
      let t = touched.get(src);
      if (!t) {
        t = { before: { requests: src.requests, bytes: src.bytes, counts: { ...src.redactor.counts } }, events: 0, dropped: 0 };
        touched.set(src, t);
      }
      src.requests++;
      src.bytes += sub.bytes;
      work.push({ events: sub.events, redactor: src.redactor, origin: { sourceId: src.id, line: src.requests, defaultStream: sub.transport }, tally: t });
    }
    // Events are redacted and canonicalised as they are stored: the batch's
    // prepared rows are never all alive at once (less for the GC to copy).
    function* prepared(): Generator<NewEvent> {
      for (const w of work) {
        for (const raw of w.events) {
          const e = prepareEvent(raw, w.redactor, w.origin);
          if (!e) {
            w.tally.dropped++;
            continue;
          }
          w.tally.events++;
          added.set(e.stream, (added.get(e.stream) ?? 0) + 1);
          yield e;
        }
      }
    }
    let commits;
    try {
      commits = store.transaction(() => {
        const c = store.events.append(prepared(), { index: false });
        for (const [src, t] of touched) {
          store.sources.recordProgress(src.id, {
            linesDone: src.requests,
            bytesDone: src.bytes,
            eventsAdded: t.events,
            droppedAdded: t.dropped,
            problems: [],
            redactionCounts: { ...src.redactor.counts },
          });
        }
        return c;
      });
    } catch (err) {
      // Nothing was stored: the sources' counters go back to what the file says.
      for (const [src, t] of touched) {
        src.requests = t.before.requests;
        src.bytes = t.before.bytes;
        for (const k of Object.keys(src.redactor.counts)) delete src.redactor.counts[k];
        Object.assign(src.redactor.counts, t.before.counts);
      }
      throw err;
    }
    if (commits.length > 0) this.options.onCommit?.(commits.map((c) => ({ ...c, added: added.get(c.key) ?? 0 })));
    this.lastAppend = performance.now();
    this.scheduleIndex(QUIET_MS);
  }

  /** Tells the sink when requests are waiting (indexing then waits, up to MAX_UNINDEXED events behind). */
  indexWhenIdle(busy: () => boolean): void {
    this.busy = busy;
  }

  private scheduleIndex(delayMs: number): void {
    if (this.indexTimer || this.closed) return;
    const run = (): void => {
      this.indexTimer = undefined;
      this.indexStep();
    };
    this.indexTimer = delayMs > 0 ? setTimeout(run, delayMs) : setImmediate(run);
  }

  private indexStep(): void {
    const { store } = this;
    const pending = store.events.unindexed;
    if (pending === 0) return;
    const quietFor = performance.now() - this.lastAppend;
    if ((this.busy() || quietFor < QUIET_MS) && pending < MAX_UNINDEXED) {
      this.scheduleIndex(Math.max(10, QUIET_MS - quietFor));
      return;
    }
    store.transaction(() => store.events.indexPending(INDEX_STEP));
    if (pending > INDEX_STEP) this.scheduleIndex(0);
  }

  /**
   * The session's sources are complete, each with an audit entry of what it
   * received (the store itself is closed by its owner).
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.indexTimer) {
      clearTimeout(this.indexTimer as NodeJS.Timeout);
      clearImmediate(this.indexTimer as NodeJS.Immediate);
    }
    const { store } = this;
    store.transaction(() => {
      store.events.indexPending();
      for (const s of this.sources.values()) {
        store.sources.complete(s.id, store.now());
        const row = store.sources.get(s.id);
        store.audit.append({
          actor: this.options.actor,
          action: AUDIT_ACTIONS.sourceReceived,
          subject: `source:${s.id}`,
          details: {
            kind: s.transport,
            path: s.path,
            requests: row.linesDone,
            bytes: row.bytesDone,
            events: row.events,
            dropped: row.dropped,
            redactionPolicy: row.redactionPolicy.name,
            redactionCounts: row.redactionCounts,
          },
        });
      }
    });
  }
}
