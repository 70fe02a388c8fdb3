// The engine's data types. Pure declarations (no imports) so that src/shared
// can re-export them to every process, the renderer included.

/** Which compressor family measures C(x). */
export type CompressorName = 'zstd' | 'lz4' | 'deflate';

/**
 * Everything that could change a compressed size: recorded with every analysis
 * and bundle so a verifier reproduces the exact bytes.
 */
export interface CompressorPin {
  name: CompressorName;
  /** npm package (or `node:zlib`) that produced the bytes. */
  library: string;
  libraryVersion: string;
  /** Version of the compression format implementation (e.g. zstd 1.5.7). */
  formatVersion: string;
  level: number;
  /** Every parameter set explicitly, so output does not depend on input size. */
  params: Record<string, number>;
}

export type Profile = 'sensitive' | 'balanced' | 'strict';

/** One unit of text the engine compresses. `text` is canonical (masked, redacted). */
export interface EngineEvent {
  /** 0-based position in the stream (for files: the line index in the input). */
  index: number;
  text: string;
  /** Milliseconds since the Unix epoch, when the source has one. */
  timestamp?: number;
}

export interface CountWindowing {
  kind: 'count';
  /** Baseline size in events. */
  baseline: number;
  /** Window size in events. */
  window: number;
  /** Events between consecutive window starts. */
  hop: number;
}

export interface TimeWindowing {
  kind: 'time';
  /** Window length in milliseconds. */
  windowMs: number;
  /** Milliseconds between consecutive window starts. */
  hopMs: number;
  /** Baseline size in events (the most recent unflagged events before the window). */
  baseline: number;
}

export type Windowing = CountWindowing | TimeWindowing;

/** Parameters that fix an analysis; with the input and the pin they fix every result. */
export interface AnalysisParams {
  windowing: Windowing;
  /** Permutations for the p-value (N in p = (1 + #{T_perm ≥ T_obs}) / (1 + N)). 0 disables the test. */
  permutations: number;
  seed: number;
  profile: Profile;
  compressor: CompressorName;
  /** Number of top novel events kept per window for the explanation. */
  topEvents: number;
  /**
   * When true, a window's baseline is only ever taken from events before it
   * (NAB's rule for streaming scores). When false, the first windows of a
   * stream, which have too little history, borrow their baseline from the
   * events that follow them (batch analysis of a whole file).
   */
  causal: boolean;
}

/** Thresholds a profile applies. */
export interface ProfileThresholds {
  /** Significance level: BH false-discovery rate across the batch. */
  alpha: number;
  /** Minimum effect: excess bits of the window beyond what a baseline window of the same size carries. */
  minExcessBits: number;
  /**
   * Minimum effect for metric series windows, per row: rows cost a few bits
   * each, so the bar scales with the window (one bit per row = each row's
   * symbols half as likely as the baseline makes them).
   */
  minSeriesBitsPerRow: number;
}

export interface TopEvent {
  /** Index of the event in its stream. */
  index: number;
  /** Bits needed to encode the event given the baseline (per-event conditional cost). */
  bits: number;
  text: string;
}

/** The baseline's usual range of a metric: quantiles over its calibration windows. */
export interface MetricRange {
  p05: number;
  median: number;
  p95: number;
}

/** Inclusive range of event indexes [first, last]. */
export type IndexRange = [number, number];

/** Where a window's baseline came from: the event ranges of its two halves. */
export interface BaselineRef {
  /** Events whose concatenation is the compression dictionary (the baseline's recent half). */
  reference: IndexRange[];
  /** Events whose costs calibrate the permutation test (the baseline's older half). */
  calibration: IndexRange[];
}

/** Everything the engine says about one window. */
export interface WindowResult {
  stream: string;
  /** 0-based window number within the stream. */
  window: number;
  firstEvent: number;
  lastEvent: number;
  n: number;
  /** Start / end timestamps when events have them. */
  startTime?: number;
  endTime?: number;
  /** C(W)/|W|. */
  cr: number;
  /** C(B_ref)/|B_ref| for the equal-size baseline sample. */
  crBaseline: number;
  /** 8·(C(W) − C(B_ref))/|W| bits per byte. */
  deltaBits: number;
  /** Byte entropy of the window, bits per byte. */
  entropy: number;
  /** NCD(W, B_ref). */
  ncd: number;
  /** K(W|B)/C(W): share of the window's compressed size the baseline cannot explain. */
  novelty: number;
  /** Mean per-event conditional cost of the window, bits. */
  meanBits: number;
  /** Mean per-event conditional cost of the calibration events, bits. */
  baselineMeanBits: number;
  /**
   * The leading look's statistic: the window's bits above its threshold (a
   * high quantile of the pooled calibration and window costs when a few
   * events stand out, the pool median when most events are costlier; see
   * twoLookTest).
   */
  statistic: number;
  /** Effect size: statistic minus its mean under permutation, bits. */
  excessBits: number;
  /** Window events whose cost exceeds the leading look's threshold (the lines behind the finding). */
  novelEvents: number;
  /** Permutation p-value (1 when permutations are off). */
  pValue: number;
  /** Permutations behind pValue (N in the formula; grows for windows at the resolution floor). */
  permutations: number;
  /**
   * Set when the first N permutations found no exceedance and the refinement
   * sampling was skipped because a rigorous tail bound made any exceedance in
   * the remaining draws negligibly likely (draws·bound < 1e-9): pValue is then
   * 1/(1 + permutations), what the sampling would have returned.
   */
  pBound?: number;
  /** Benjamini–Hochberg adjusted p-value across the batch. */
  qValue: number;
  /** Score in [0, 1], higher = more anomalous. */
  score: number;
  /** Flagged under the profile (BH at alpha and effect over threshold). */
  anomaly: boolean;
  /** Excluded from later baselines (raw p ≤ alpha and effect over threshold). */
  suspect: boolean;
  explanation: string;
  topEvents: TopEvent[];
  baseline: BaselineRef;
  /** Usual range of CR, NCD and mean bits over the baseline's own windows. */
  baselineRange: { cr: MetricRange; ncd: MetricRange; meanBits: MetricRange };
}

/** Score of one event (line-level view). */
export interface EventScore {
  stream: string;
  index: number;
  timestamp?: number;
  /** Conditional cost of the event, bits. */
  bits: number;
  /** In [0, 1], higher = more anomalous. */
  score: number;
  anomaly: boolean;
}

export interface StreamAnalysis {
  stream: string;
  events: number;
  windows: WindowResult[];
  /** Why there are no windows, when there are none. */
  note?: string;
}

/** A session: the events that share a correlation key (block id, trace id, a user regex). */
export interface EngineGroup {
  key: string;
  /** The group's events in stream order; an event may belong to several groups. */
  events: readonly EngineEvent[];
}

/**
 * Everything the engine says about one session, scored as one unit against
 * a pooled baseline of other sessions (see scoreGroups). The fields shared
 * with WindowResult read as follows for a session: `n` events; `statistic`
 * = bitsPerEvent; `excessBits` = bits beyond a typical session with as many
 * events, (n + 1)·(bitsPerEvent − median calibration); `novelEvents` = units
 * (events, count tokens, ends) costing more than the costliest calibration
 * session's bits per event; `pValue` = bitsPerEvent against the calibration
 * sessions' (tailPValue), `permutations` = 0 (sessions are tested against
 * sessions, not by permutation); `qValue` = BH across all groups; `anomaly`
 * = q ≤ α and excess bits over the profile's minimum; `topEvents` = the
 * costliest units (index −1 stands for the end of the session).
 */
export interface GroupResult
  extends Pick<
    WindowResult,
    'n' | 'statistic' | 'excessBits' | 'novelEvents' | 'pValue' | 'permutations' | 'pBound' | 'qValue' | 'score' | 'anomaly' | 'explanation' | 'topEvents'
  > {
  group: string;
  /** Conditional cost of the whole group given the pooled baseline (sequence, counts and content), bits. */
  bits: number;
  /** The test statistic: bits / (n + 1), the session's conditional cost per event (its end counts as one). */
  bitsPerEvent: number;
}
