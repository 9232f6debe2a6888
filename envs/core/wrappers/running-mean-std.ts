/**
 * Gymnasium's `RunningMeanStd` (from OpenAI Baselines): a running mean and variance merged batch by
 * batch with Chan et al.'s parallel algorithm, starting from count = epsilon (1e-4), mean 0, var 1.
 * Kept in float64 (Gymnasium's observation statistics are float32; differences are rounding only).
 */
export interface RunningMeanStdState {
  mean: number[];
  var: number[];
  count: number;
}

export class RunningMeanStd {
  mean: Float64Array;
  var: Float64Array;
  count: number;

  constructor(
    readonly size: number,
    epsilon = 1e-4,
  ) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = epsilon;
  }

  /** Merges one sample (a batch of size 1: batch variance 0), as `update(np.array([x]))`. */
  update(x: ArrayLike<number>): void {
    this.updateFromMoments(x, new Float64Array(this.size), 1);
  }

  /** Merges a batch given by its mean, variance and count (`update_mean_var_count_from_moments`). */
  updateFromMoments(batchMean: ArrayLike<number>, batchVar: ArrayLike<number>, batchCount: number): void {
    const totCount = this.count + batchCount;
    for (let i = 0; i < this.size; i++) {
      const delta = batchMean[i] - this.mean[i];
      const mA = this.var[i] * this.count;
      const mB = batchVar[i] * batchCount;
      const m2 = mA + mB + (delta * delta * this.count * batchCount) / totCount;
      this.mean[i] = this.mean[i] + (delta * batchCount) / totCount;
      this.var[i] = m2 / totCount;
    }
    this.count = totCount;
  }

  getState(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  setState(state: RunningMeanStdState): void {
    if (state.mean.length !== this.size || state.var.length !== this.size) {
      throw new RangeError(
        `RunningMeanStd.setState: expected ${this.size} means and variances, got ${state.mean.length} and ${state.var.length}`,
      );
    }
    this.mean = Float64Array.from(state.mean);
    this.var = Float64Array.from(state.var);
    this.count = state.count;
  }
}
