import type { Env } from '../env.js';
import { RewardWrapper } from './base.js';

/** Gymnasium's TransformReward: applies `fn` to every reward. */
export class TransformReward<Obs, Act> extends RewardWrapper<Obs, Act> {
  constructor(
    env: Env<Obs, Act>,
    readonly fn: (reward: number) => number,
  ) {
    super(env);
  }

  reward(reward: number): number {
    return this.fn(reward);
  }
}
