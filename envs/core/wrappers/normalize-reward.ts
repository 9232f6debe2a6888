import { OptionError } from '../../../core/errors.js';
import { Wrapper, type Env, type StepResult } from '../env.js';
import { RunningMeanStd, type RunningMeanStdState } from './running-mean-std.js';

export interface NormalizeRewardState extends RunningMeanStdState {
  discountedReward: number;
}

/**
 * Gymnasium's NormalizeReward: keeps a discounted return `R ← R·γ·(1 − terminated) + r` (not reset
 * on reset or truncation, as Gymnasium), updates a running variance of R, and returns
 * `r / sqrt(var + epsilon)` (the mean is not subtracted, as in Baselines). `frozen = true` stops the
 * updates (Gymnasium's `update_running_mean = False`); `getState()` / `setState()` for checkpoints.
 */
export class NormalizeReward<Obs, Act> extends Wrapper<Obs, Act> {
  readonly returnRms = new RunningMeanStd(1);
  discountedReward = 0;
  frozen = false;

  constructor(
    env: Env<Obs, Act>,
    readonly gamma = 0.99,
    readonly epsilon = 1e-8,
  ) {
    super(env);
    if (!(gamma >= 0 && gamma <= 1)) throw new OptionError('gamma', `is ${gamma}`, 'a number in [0, 1]', 'NormalizeReward');
  }

  override step(action: Act): StepResult<Obs> {
    const r = this.env.step(action);
    this.discountedReward = this.discountedReward * this.gamma * (r.terminated ? 0 : 1) + r.reward;
    if (!this.frozen) this.returnRms.update([this.discountedReward]);
    return { ...r, reward: r.reward / Math.sqrt(this.returnRms.var[0] + this.epsilon) };
  }

  /** Gymnasium's name for the switch: `updateRunningMean === !frozen`. */
  get updateRunningMean(): boolean {
    return !this.frozen;
  }

  set updateRunningMean(update: boolean) {
    this.frozen = !update;
  }

  getState(): NormalizeRewardState {
    return { ...this.returnRms.getState(), discountedReward: this.discountedReward };
  }

  setState(state: NormalizeRewardState): void {
    this.returnRms.setState(state);
    this.discountedReward = state.discountedReward;
  }
}
