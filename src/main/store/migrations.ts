/**
 * The case file schema as a list of migrations keyed on PRAGMA user_version.
 * Never edit a migration that has shipped: add the next one. The DDL of each
 * version stays here, so tests can write an old case file and upgrade it.
 */

export interface Migration {
  /** user_version after this migration. */
  version: number;
  description: string;
  sql: string;
}

const V1 = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  compression TEXT NOT NULL,
  size INTEGER NOT NULL,
  -- Stream of the source's events when the format names none (text, JSON lines, CSV).
  default_stream TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  imported_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('importing', 'complete')),
  lines_done INTEGER NOT NULL DEFAULT 0,
  bytes_done INTEGER NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0,
  dropped INTEGER NOT NULL DEFAULT 0,
  problems INTEGER NOT NULL DEFAULT 0,
  redaction_policy TEXT NOT NULL,
  redaction_counts TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE source_problems (
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX source_problems_by_line ON source_problems(source_id, line);

CREATE TABLE streams (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  events INTEGER NOT NULL DEFAULT 0,
  first_ts INTEGER,
  last_ts INTEGER
) STRICT;

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  stream_id INTEGER NOT NULL REFERENCES streams(id),
  seq INTEGER NOT NULL,
  source_id INTEGER REFERENCES sources(id),
  line INTEGER,
  ts INTEGER,
  canonical TEXT NOT NULL,
  original TEXT NOT NULL,
  fields TEXT,
  UNIQUE (stream_id, seq)
) STRICT;

-- Which streams each source fed: the policies in force for an analysis are
-- those of its streams' sources.
CREATE TABLE source_streams (
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  stream_id INTEGER NOT NULL REFERENCES streams(id),
  PRIMARY KEY (source_id, stream_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE analyses (
  id INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  completed_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'cancelled')),
  params TEXT NOT NULL,
  compressor_pin TEXT NOT NULL,
  seed INTEGER NOT NULL,
  profile TEXT NOT NULL,
  redaction_policies TEXT NOT NULL DEFAULT '[]',
  app_version TEXT NOT NULL,
  error TEXT
) STRICT;

CREATE TABLE analysis_streams (
  analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
  stream_id INTEGER NOT NULL REFERENCES streams(id),
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
  events INTEGER NOT NULL DEFAULT 0,
  windows INTEGER NOT NULL DEFAULT 0,
  skipped_windows INTEGER NOT NULL DEFAULT 0,
  note TEXT,
  PRIMARY KEY (analysis_id, stream_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE windows (
  id INTEGER PRIMARY KEY,
  analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
  stream_id INTEGER NOT NULL REFERENCES streams(id),
  window INTEGER NOT NULL,
  first_event INTEGER NOT NULL,
  last_event INTEGER NOT NULL,
  n INTEGER NOT NULL,
  start_time INTEGER,
  end_time INTEGER,
  cr REAL,
  cr_baseline REAL,
  delta_bits REAL,
  entropy REAL,
  ncd REAL,
  novelty REAL,
  mean_bits REAL,
  baseline_mean_bits REAL,
  statistic REAL,
  excess_bits REAL,
  novel_events INTEGER NOT NULL,
  p_value REAL NOT NULL,
  permutations INTEGER NOT NULL,
  p_bound REAL,
  q_value REAL NOT NULL,
  score REAL,
  anomaly INTEGER NOT NULL CHECK (anomaly IN (0, 1)),
  suspect INTEGER NOT NULL CHECK (suspect IN (0, 1)),
  explanation TEXT NOT NULL,
  top_events TEXT NOT NULL,
  baseline TEXT NOT NULL,
  baseline_range TEXT NOT NULL,
  UNIQUE (analysis_id, stream_id, window)
) STRICT;

CREATE TABLE anomalies (
  id INTEGER PRIMARY KEY,
  window_id INTEGER NOT NULL UNIQUE REFERENCES windows(id) ON DELETE CASCADE,
  analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
  stream_id INTEGER NOT NULL REFERENCES streams(id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed')),
  note TEXT,
  triaged_by TEXT,
  triaged_at INTEGER
) STRICT;
CREATE INDEX anomalies_by_analysis ON anomalies(analysis_id);

CREATE TABLE suppressions (
  id INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  stream_id INTEGER REFERENCES streams(id),
  kind TEXT NOT NULL DEFAULT 'canonical-regex',
  pattern TEXT NOT NULL,
  note TEXT,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  details TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
`;

// Full-text search over what people read, and the "current results" view.
// The FTS index is external-content (the text lives once, in events) and is
// maintained in the same transaction as each batch of events (see
// events-repo.ts): one batched statement is about 4x cheaper than a
// per-row trigger.
const V2 = `
CREATE VIRTUAL TABLE events_fts USING fts5(original, content='events', content_rowid='id');
INSERT INTO events_fts(events_fts) VALUES ('rebuild');

CREATE VIEW current_analysis_streams AS
  SELECT s.stream_id AS stream_id, MAX(s.analysis_id) AS analysis_id
  FROM analysis_streams s JOIN analyses a ON a.id = s.analysis_id
  WHERE a.status = 'complete'
  GROUP BY s.stream_id;

CREATE VIEW current_windows AS
  SELECT w.* FROM windows w
  JOIN current_analysis_streams c ON c.stream_id = w.stream_id AND c.analysis_id = w.analysis_id;
`;

// Live analyses (driftlock serve) store windows only once decided, so a live
// analysis holds final results while it runs, and each covers only the
// events that arrived while it ran. A stream's current results are then its
// latest complete batch analysis plus every live analysis after it. The
// full-text index gets a watermark (settings 'fts.indexed_through'), so an
// appender may index later (see EventsRepo.indexPending).
const V3 = `
ALTER TABLE analyses ADD COLUMN mode TEXT NOT NULL DEFAULT 'batch' CHECK (mode IN ('batch', 'live'));
-- A live analysis decides each stream's windows per decision period of this many ms of data time.
ALTER TABLE analyses ADD COLUMN decide_ms INTEGER CHECK (decide_ms IS NULL OR decide_ms > 0);

DROP VIEW current_windows;
DROP VIEW current_analysis_streams;

CREATE VIEW current_analysis_streams AS
  WITH latest_batch AS (
    SELECT s.stream_id AS stream_id, MAX(s.analysis_id) AS analysis_id
    FROM analysis_streams s JOIN analyses a ON a.id = s.analysis_id
    WHERE a.status = 'complete' AND a.mode = 'batch'
    GROUP BY s.stream_id
  )
  SELECT stream_id, analysis_id FROM latest_batch
  UNION ALL
  SELECT s.stream_id, s.analysis_id
  FROM analysis_streams s JOIN analyses a ON a.id = s.analysis_id
  WHERE a.mode = 'live' AND a.status IN ('running', 'complete')
    AND s.analysis_id > COALESCE((SELECT b.analysis_id FROM latest_batch b WHERE b.stream_id = s.stream_id), 0);

CREATE VIEW current_windows AS
  SELECT w.* FROM windows w
  JOIN current_analysis_streams c ON c.stream_id = w.stream_id AND c.analysis_id = w.analysis_id;

CREATE INDEX anomalies_by_stream ON anomalies(stream_id, id);

-- Until now every append indexed its events: the index is complete.
INSERT OR REPLACE INTO settings (key, value) SELECT 'fts.indexed_through', CAST(COALESCE(MAX(id), 0) AS TEXT) FROM events;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'sources, streams, events, analyses, windows, triage, audit', sql: V1 },
  { version: 2, description: 'full-text index over events; current results views', sql: V2 },
  { version: 3, description: 'live analyses (serve): analyses.mode; current results include live analyses after the latest batch one', sql: V3 },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** PRAGMA application_id of a Driftlock case file ("DRLK"). */
export const APPLICATION_ID = 0x44524c4b;
