import { OptionError } from '../../../core/errors.js';
import type { Env } from '../env.js';
import { Box } from '../spaces/box.js';
import { ObservationWrapper } from './base.js';
import { RunningMeanStd, type RunningMeanStdState } from './running-mean-std.js';

/**
 * Gymnasium's NormalizeObservation: each observation (reset ones included) updates a running mean and
 * variance, then is returned as `(obs − mean) / sqrt(var + epsilon)` in float32. Set `frozen = true`
 * (Gymnasium's `update_running_mean = False`) to stop updating, e.g. for evaluation; `getState()` /
 * `setState()` save and restore the statistics with a checkpoint.
 */
export class NormalizeObservation<Act> extends ObservationWrapper<Float32Array, Act, ArrayLike<number>> {
  override observationSpace: Box<Float32Array>;
  readonly obsRms: RunningMeanStd;
  frozen = false;

  constructor(
    env: Env<ArrayLike<number>, Act>,
    readonly epsilon = 1e-8,
  ) {
    super(env);
    const inner = env.observationSpace;
    if (!(inner instanceof Box)) {
      throw new OptionError(
        'env',
        `has observation space ${inner}`,
        'a Box observation space (wrap with FlattenObservation first)',
        'NormalizeObservation',
      );
    }
    this.observationSpace = new Box<Float32Array>(-Infinity, Infinity, inner.shape!, 'float32');
    this.obsRms = new RunningMeanStd(inner.size);
  }

  observation(observation: ArrayLike<number>): Float32Array {
    if (!this.frozen) this.obsRms.update(observation);
    const out = new Float32Array(this.obsRms.size);
    const { mean, var: variance } = this.obsRms;
    for (let i = 0; i < out.length; i++) out[i] = (observation[i] - mean[i]) / Math.sqrt(variance[i] + this.epsilon);
    return out;
  }

  /** Gymnasium's name for the switch: `updateRunningMean === !frozen`. */
  get updateRunningMean(): boolean {
    return !this.frozen;
  }

  set updateRunningMean(update: boolean) {
    this.frozen = !update;
  }

  getState(): RunningMeanStdState {
    return this.obsRms.getState();
  }

  setState(state: RunningMeanStdState): void {
    this.obsRms.setState(state);
  }
}
