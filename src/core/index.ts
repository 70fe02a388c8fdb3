// The engine's public surface: what workers, the CLI, the store and the
// verifier import. Everything else in src/core is an implementation detail.
export * from './types';
export { canonicalize, MASK_RULES } from './canonicalize';
export { charSet, hasCharRun } from './char-run';
export type { Compressor, DictionaryCompressor } from './compressors/compressor';
export { createCompressor, COMPRESSOR_NAMES } from './compressors/create-compressor';
export { createZstd, ZSTD_PARAMS } from './compressors/zstd-compressor';
export { createLz4 } from './compressors/lz4-compressor';
export { createDeflate, DEFLATE_PARAMS } from './compressors/deflate-compressor';
export { compressionRatio } from './metrics/compression-ratio';
export { deltaBits } from './metrics/delta-bits';
export { byteEntropy } from './metrics/entropy';
export { ncd } from './metrics/ncd';
export { novelty } from './metrics/novelty';
export { eventCostBits } from './metrics/event-cost';
export { benjaminiHochberg } from './stats/benjamini-hochberg';
export { countExceedances, permutationPValue, samplingMoments } from './stats/permutation-test';
export { windowRng, uniformBelow } from './stats/seeded-rng';
export { quantileSorted } from './stats/quantile';
export { PROFILES, PROFILE_NAMES } from './profiles';
export { StreamAnalyzer, encodeEvent } from './stream-analyzer';
export { scoreWindow, zToScore, excessLevel, FLOOR_REFINEMENT } from './score-window';
export { reproduceWindow } from './reproduce';
export { normalUpperTail } from './stats/normal';
export { permutationTailBound, hypergeometricUpperTail } from './stats/hypergeometric-bound';
export { chernoffBound } from './stats/chernoff-bound';
export { logGamma, logChoose } from './stats/log-gamma';
export type { EventCost, StreamAnalyzerOptions } from './stream-analyzer';
export { decideBatch, decideWindow, scoreEvents } from './decide';
export { explainWindow } from './explain';
export { analyzeStreams, DEFAULT_PARAMS, noteFor } from './analyze';
export type { BatchResult } from './analyze';
export { scoreGroups, END_INDEX } from './sessions/score-groups';
export { SymbolTable, SESSION_END } from './sessions/symbol-table';
export { explainGroup } from './sessions/explain-group';
export { excessTest, kthOfUnion } from './stats/excess-test';
export { twoLookTest, SHIFT_LEVEL } from './stats/two-look-test';
export type { Look, TwoLookTest } from './stats/two-look-test';
export {
  analyzeSeries,
  DEFAULT_SERIES_BASELINE,
  SERIES_PERIOD_REFRESH,
  SERIES_REFRESH,
  SERIES_REFRACTORY,
  SERIES_REPEAT,
  SERIES_WINDOW_HISTORY,
  seriesRowScores,
} from './series/score-series';
export { codeLength, columnModel, countRow, rowBits, symbolsAt } from './series/column-model';
export { detectPeriod, empiricalBits, SEASON_CYCLES, seasonalProfile } from './series/period';
export { smoothedTail } from './stats/smoothed-tail';
export { tailPValue } from './stats/tail-p-value';
export type { SeriesAnalysis, SeriesRowScores } from './series/score-series';
export type { ColumnModel } from './series/column-model';
export { quantiserOf, level, QUANT_LEVELS } from './series/quantiser';
export type { Quantiser } from './series/quantiser';
export { writeZigzagVarint } from './series/zigzag-varint';
export { windowMetrics } from './metrics/window-metrics';
