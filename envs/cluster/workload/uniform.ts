/**
 * A uniform workload (DeepRM's `normal_dist`, generalised): at each of the simuLen steps a job arrives with
 * probability newJobRate, with length uniform in [minLen, maxLen] and each resource's demand uniform in
 * [minSize, maxSize], independently (defaults: 1 … maxJobLen and 1 … maxJobSize).
 */
import type { Rng } from '../../../core/rng.js';
import { bernoulliArrivals, type JobSequence, type WorkloadParams, type WorkloadSource } from './source.js';

export interface UniformBounds {
  minLen: number;
  maxLen: number;
  minSize: number;
  maxSize: number;
}

export class UniformWorkload implements WorkloadSource {
  readonly type = 'uniform';
  readonly options: Record<string, unknown>;

  constructor(
    private readonly p: WorkloadParams,
    private readonly b: UniformBounds,
  ) {
    this.options = { type: 'uniform', ...b };
  }

  sequences(rng: Rng): JobSequence[] {
    const { numRes } = this.p;
    return bernoulliArrivals(this.p, rng, (demand) => {
      const length = rng.integers(this.b.minLen, this.b.maxLen + 1);
      for (let r = 0; r < numRes; r++) demand[r] = rng.integers(this.b.minSize, this.b.maxSize + 1);
      return length;
    });
  }
}
