/**
 * DeepRM's bi-modal workload (job_distribution.py, `bi_model_dist`): at each of the simuLen steps of a
 * sequence a job arrives with probability newJobRate. With probability 0.8 it is short, length uniform in
 * [1, ⌊maxJobLen/5⌋], else long, uniform in [⌊2·maxJobLen/3⌋, maxJobLen]. One resource, drawn uniformly,
 * is dominant with demand uniform in [⌊maxJobSize/2⌋, maxJobSize]; the others demand [1, ⌊maxJobSize/5⌋].
 * Bounds below 1 (tiny maxJobLen/maxJobSize, where the reference would fail) are raised to 1.
 */
import type { Rng } from '../../../core/rng.js';
import { bernoulliArrivals, type JobSequence, type WorkloadParams, type WorkloadSource } from './source.js';

export class BimodalWorkload implements WorkloadSource {
  readonly type = 'bimodal';
  readonly options: Record<string, unknown>;
  private readonly shortLen: [number, number];
  private readonly longLen: [number, number];
  private readonly dominantSize: [number, number];
  private readonly otherSize: [number, number];

  constructor(
    private readonly p: WorkloadParams,
    /** Probability that a job is short (the reference's `job_small_chance`). */
    private readonly shortChance = 0.8,
  ) {
    this.options = { type: 'bimodal', shortChance };
    const atLeast1 = (v: number) => Math.max(1, v);
    this.shortLen = [1, atLeast1(Math.floor(p.maxJobLen / 5))];
    this.longLen = [atLeast1(Math.floor((p.maxJobLen * 2) / 3)), p.maxJobLen];
    this.dominantSize = [atLeast1(Math.floor(p.maxJobSize / 2)), p.maxJobSize];
    this.otherSize = [1, atLeast1(Math.floor(p.maxJobSize / 5))];
  }

  sequences(rng: Rng): JobSequence[] {
    const { numRes } = this.p;
    return bernoulliArrivals(this.p, rng, (demand) => {
      const [lo, hi] = rng.random() < this.shortChance ? this.shortLen : this.longLen;
      const length = rng.integers(lo, hi + 1);
      const dominant = rng.integers(0, numRes);
      for (let r = 0; r < numRes; r++) {
        const [a, b] = r === dominant ? this.dominantSize : this.otherSize;
        demand[r] = rng.integers(a, b + 1);
      }
      return length;
    });
  }
}
