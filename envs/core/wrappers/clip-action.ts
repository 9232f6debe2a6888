import { OptionError } from '../../../core/errors.js';
import type { Env } from '../env.js';
import { Box, type BoxValue } from '../spaces/box.js';
import { ActionWrapper } from './base.js';

/**
 * Gymnasium's ClipAction: accepts any real vector of the inner Box's shape (the action space becomes
 * unbounded) and clips it to the inner bounds before stepping.
 */
export class ClipAction<Obs> extends ActionWrapper<Obs, ArrayLike<number>, BoxValue> {
  override actionSpace: Box;
  private readonly inner: Box;

  constructor(env: Env<Obs, BoxValue>) {
    super(env);
    const inner = env.actionSpace;
    if (!(inner instanceof Box)) throw new OptionError('env', `has action space ${inner}`, 'a Box action space', 'ClipAction');
    this.inner = inner as Box;
    this.actionSpace = new Box(-Infinity, Infinity, inner.shape!, inner.boxDtype);
  }

  action(action: ArrayLike<number>): BoxValue {
    const out = this.inner.zeros();
    for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(action[i], this.inner.low[i]), this.inner.high[i]);
    return out;
  }
}
