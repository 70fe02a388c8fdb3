import type { Profile, ProfileThresholds } from './types';

/**
 * What each profile flags. alpha is the false-discovery rate (Benjamini–
 * Hochberg across the batch); minExcessBits is the practical-significance
 * bar: the window must carry at least that many bits beyond what a baseline
 * window of its size carries, so huge windows do not flag trivial shifts.
 */
export const PROFILES: Readonly<Record<Profile, ProfileThresholds>> = {
  sensitive: { alpha: 0.05, minExcessBits: 24, minSeriesBitsPerRow: 0.5 },
  balanced: { alpha: 0.01, minExcessBits: 64, minSeriesBitsPerRow: 1 },
  strict: { alpha: 0.001, minExcessBits: 192, minSeriesBitsPerRow: 2 },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as Profile[];
