import { DEFAULT_PARAMS } from '../../core';
import type { Settings } from '../../shared/dto';

/** A new case's settings: the engine's defaults (count windows, balanced profile) and the default redaction policy. */
const defaults: Settings = {
  profile: DEFAULT_PARAMS.profile,
  baseline: DEFAULT_PARAMS.windowing.kind === 'count' ? DEFAULT_PARAMS.windowing.baseline : 1000,
  window: DEFAULT_PARAMS.windowing.kind === 'count' ? DEFAULT_PARAMS.windowing.window : 100,
  hop: DEFAULT_PARAMS.windowing.kind === 'count' ? DEFAULT_PARAMS.windowing.hop : 100,
  permutations: DEFAULT_PARAMS.permutations,
  seed: DEFAULT_PARAMS.seed,
  compressor: DEFAULT_PARAMS.compressor,
  redaction: { preset: 'default', customPatterns: [] },
  otlp: { httpPort: 4318, grpcPort: 4317 },
  analyst: '',
};

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(defaults);
