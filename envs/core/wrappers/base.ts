/**
 * Gymnasium's single-purpose wrapper bases: each changes one part of the step/reset results and
 * forwards everything else, info (with `info.actionMask`) and `actionMasks()` included.
 */
import { Wrapper, type Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';

/** Maps every observation, from reset and from step. */
export abstract class ObservationWrapper<Obs, Act, InnerObs> extends Wrapper<Obs, Act, InnerObs, Act> {
  constructor(env: Env<InnerObs, Act>) {
    super(env);
  }

  abstract observation(observation: InnerObs): Obs;

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    const { observation, info } = this.env.reset(args);
    return { observation: this.observation(observation), info };
  }

  override step(action: Act): StepResult<Obs> {
    const r = this.env.step(action);
    return {
      observation: this.observation(r.observation),
      reward: r.reward,
      terminated: r.terminated,
      truncated: r.truncated,
      info: r.info,
    };
  }
}

/** Maps every reward. */
export abstract class RewardWrapper<Obs, Act> extends Wrapper<Obs, Act> {
  constructor(env: Env<Obs, Act>) {
    super(env);
  }

  abstract reward(reward: number): number;

  override step(action: Act): StepResult<Obs> {
    const r = this.env.step(action);
    return { ...r, reward: this.reward(r.reward) };
  }
}

/** Maps every action before the inner env sees it. */
export abstract class ActionWrapper<Obs, Act, InnerAct> extends Wrapper<Obs, Act, Obs, InnerAct> {
  constructor(env: Env<Obs, InnerAct>) {
    super(env);
  }

  abstract action(action: Act): InnerAct;

  override step(action: Act): StepResult<Obs> {
    return this.env.step(this.action(action));
  }
}
