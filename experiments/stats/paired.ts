/**
 * Paired differences between two agents evaluated on the same episodes: the mean of the per-episode
 * differences and its standard error (sample std, ddof = 1, over √n). Pairing removes the spread that
 * comes from the episodes themselves (an easy job sequence is easy for every scheduler), which is most of
 * the spread of a scheduling metric.
 */
import { sampleMean, sampleStd } from './summary.js';

export interface PairedDifference {
  /** Episode pairs. */
  n: number;
  mean: number;
  /** Standard error of the mean difference (NaN for a single pair). */
  se: number;
}

/** `pairs`: per matched run, the agent's and the baseline's per-episode values, in episode order. */
export function pairedDifference(pairs: { values: number[]; baseline: number[] }[]): PairedDifference | null {
  const diffs: number[] = [];
  for (const { values, baseline } of pairs) {
    const n = Math.min(values.length, baseline.length);
    for (let i = 0; i < n; i++) if (Number.isFinite(values[i]) && Number.isFinite(baseline[i])) diffs.push(values[i] - baseline[i]);
  }
  if (diffs.length === 0) return null;
  return { n: diffs.length, mean: sampleMean(diffs), se: sampleStd(diffs) / Math.sqrt(diffs.length) };
}
