/**
 * Stratified bootstrap (rliable): each resample draws, within every stratum (task), as many scores as
 * the stratum has, with replacement; the statistic of the pooled resample is recorded and the
 * percentile interval taken (mathjs quantileSeq, linear interpolation as numpy). The generator is
 * seeded, so intervals are the same on every run.
 */
import { quantileSeq } from 'mathjs';
import { Rng } from '../../core/rng.js';

export interface BootstrapOptions {
  resamples: number;
  confidence: number;
  seed: number;
}

export function stratifiedBootstrapCI(strata: number[][], statistic: (xs: number[]) => number, { resamples, confidence, seed }: BootstrapOptions): [number, number] {
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
  const [low, high] = quantileSeq(stats, [alpha, 1 - alpha]) as number[];
  return [low, high];
}
