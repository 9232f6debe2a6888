/**
 * Stratified bootstrap (rliable): each resample draws, within every stratum (task), as many scores as
 * the stratum has, with replacement; the statistic of the pooled resample is recorded and the
 * percentile interval taken (linear interpolation between order statistics, numpy's default). The
 * generator is seeded, so intervals are the same on every run, bit for bit.
 *
 * Not mathjs' quantileSeq: its partitionSelect draws pivots from Math.random and compares with a
 * relative tolerance (1e-12), so among resampled statistics that differ only in the last bits (the same
 * scores summed in another order) it returned one or the other from run to run, and figures differed in
 * their last digits.
 */
import { Rng } from '../../core/rng.js';

/** The p-quantiles of `xs` by linear interpolation between order statistics (numpy.quantile's 'linear'). */
export function quantiles(xs: number[], ps: number[]): number[] {
  if (xs.length === 0) return ps.map(() => NaN);
  const sorted = Float64Array.from(xs).sort();
  return ps.map((p) => {
    const h = p * (sorted.length - 1);
    const lo = Math.floor(h);
    const frac = h - lo;
    return frac === 0 ? sorted[lo] : sorted[lo] * (1 - frac) + sorted[lo + 1] * frac;
  });
}

export interface BootstrapOptions {
  resamples: number;
  confidence: number;
  seed: number;
}

export function stratifiedBootstrapCI(
  strata: number[][],
  statistic: (xs: number[]) => number,
  { resamples, confidence, seed }: BootstrapOptions,
): [number, number] {
  const rng = new Rng(seed);
  const stats: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const sample: number[] = [];
    for (const stratum of strata) {
      for (let i = 0; i < stratum.length; i++) sample.push(stratum[rng.integers(0, stratum.length)]);
    }
    stats.push(statistic(sample));
  }
  const alpha = (1 - confidence) / 2;
  const [low, high] = quantiles(stats, [alpha, 1 - alpha]);
  return [low, high];
}
