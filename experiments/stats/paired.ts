/**
 * Paired differences between two agents evaluated on the same episodes, at two levels:
 *
 * - episode level: the mean of all per-episode differences and its standard error (sample std, ddof = 1,
 *   over √n episode pairs). Pairing removes the spread that comes from the episodes themselves (an easy
 *   job sequence is easy for every scheduler). It treats every episode as independent, so it leaves out
 *   the spread between training seeds;
 * - seed level: per matched run (one training seed), the mean difference over its episodes; then the
 *   mean of those per-seed differences and its Student-t interval over the seeds (n = seeds). For learned
 *   agents the training seed is the unit of replication, so this is the interval to quote.
 */
import { tInterval } from './student-t.js';
import { sampleMean, sampleStd } from './summary.js';

export interface PairedDifference {
  /** Episode pairs. */
  n: number;
  mean: number;
  /** Standard error of the mean difference over episode pairs (NaN for a single pair). */
  se: number;
  /** Seed level: one mean difference per matched run (training seed), in run order. */
  perSeed: number[];
  /** Mean of the per-seed differences. */
  seedMean: number;
  /** Student-t interval of seedMean over the seeds at the table's confidence (NaN for a single seed). */
  seedCiLow: number;
  seedCiHigh: number;
}

/** `pairs`: per matched run, the agent's and the baseline's per-episode values, in episode order. */
export function pairedDifference(pairs: { values: number[]; baseline: number[] }[], confidence = 0.95): PairedDifference | null {
  const diffs: number[] = [];
  const perSeed: number[] = [];
  for (const { values, baseline } of pairs) {
    const n = Math.min(values.length, baseline.length);
    const own: number[] = [];
    for (let i = 0; i < n; i++) if (Number.isFinite(values[i]) && Number.isFinite(baseline[i])) own.push(values[i] - baseline[i]);
    if (own.length) perSeed.push(sampleMean(own));
    diffs.push(...own);
  }
  if (diffs.length === 0) return null;
  const [seedCiLow, seedCiHigh] = tInterval(perSeed, confidence);
  return {
    n: diffs.length,
    mean: sampleMean(diffs),
    se: sampleStd(diffs) / Math.sqrt(diffs.length),
    perSeed,
    seedMean: sampleMean(perSeed),
    seedCiLow,
    seedCiHigh,
  };
}
