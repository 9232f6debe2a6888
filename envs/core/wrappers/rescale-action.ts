import { OptionError } from '../../../core/errors.js';
import type { Env } from '../env.js';
import { Box, type BoxValue } from '../spaces/box.js';
import { ActionWrapper } from './base.js';

/**
 * Gymnasium's RescaleAction: the agent acts in [minAction, maxAction] (scalars or per-dimension
 * arrays); actions are mapped affinely onto the inner Box, `gradient·a + intercept` with
 * `gradient = (high − low) / (max − min)`, `intercept = low − gradient·min`, then clipped to the inner
 * bounds so that rounding never leaves them. The inner Box must be bounded and of a float dtype.
 */
export class RescaleAction<Obs> extends ActionWrapper<Obs, ArrayLike<number>, BoxValue> {
  override actionSpace: Box;
  private readonly inner: Box;
  private readonly gradient: Float64Array;
  private readonly intercept: Float64Array;

  constructor(env: Env<Obs, BoxValue>, minAction: number | ArrayLike<number>, maxAction: number | ArrayLike<number>) {
    super(env);
    const inner = env.actionSpace;
    if (!(inner instanceof Box) || !(inner.dtype === 'float32' || inner.dtype === 'float64')) {
      throw new OptionError('env', `has action space ${inner}`, 'a float Box action space', 'RescaleAction');
    }
    if (!inner.isBounded('both')) throw new OptionError('env', `has action space ${inner}`, 'a Box bounded on both sides', 'RescaleAction');
    this.inner = inner as Box;
    this.actionSpace = new Box(minAction, maxAction, inner.shape!, inner.boxDtype);
    const { low: min, high: max } = this.actionSpace;
    this.gradient = new Float64Array(inner.size);
    this.intercept = new Float64Array(inner.size);
    for (let i = 0; i < inner.size; i++) {
      if (!(min[i] < max[i]) || !Number.isFinite(min[i]) || !Number.isFinite(max[i])) {
        throw new OptionError(
          'minAction/maxAction',
          `are ${min[i]} and ${max[i]} at index ${i}`,
          'finite numbers with minAction < maxAction',
          'RescaleAction',
        );
      }
      this.gradient[i] = (inner.high[i] - inner.low[i]) / (max[i] - min[i]);
      this.intercept[i] = inner.low[i] - this.gradient[i] * min[i];
    }
  }

  action(action: ArrayLike<number>): BoxValue {
    const out = this.inner.zeros();
    for (let i = 0; i < out.length; i++) {
      const v = this.gradient[i] * action[i] + this.intercept[i];
      out[i] = Math.min(Math.max(v, this.inner.low[i]), this.inner.high[i]);
    }
    return out;
  }
}
