/**
 * An agent that trains on its env with some options overridden and acts on the env it is evaluated on:
 * `ppo-train-split` (CapacityPlanning-v0, WanTrafficEngineering-v0) is PPO trained on the series' train
 * split whatever split its task is evaluated on. The experiment runner builds the training envs with the
 * task's env options, which are also its evaluation env's, so a task on `split: 'test'` would otherwise
 * train on the test split. In `learn`, the env it is handed is replaced by the same env id made with
 * `trainOptions` (as many sub-envs and the same autoreset mode for a vector env); acting, saving and loading
 * are the inner agent's own, so its checkpoint is a plain checkpoint of that agent.
 */
import type { Env } from '../../envs/core/env.js';
import { make } from '../../envs/core/registry.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import type { VectorEnv } from '../../envs/core/vector/types.js';
import type { ActOptions, Agent, LearnOptions, LearnResult } from './agent.js';
import { isVectorEnv } from './vec.js';

export class TrainOnOptionsAgent<Obs = unknown, Act = unknown> implements Agent<Obs, Act> {
  constructor(
    readonly name: string,
    readonly inner: Agent,
    private readonly envId: string,
    /** The env options training uses (the task's options with the overrides applied). */
    private readonly trainOptions: Record<string, unknown>,
    private readonly seed: number,
  ) {}

  get options(): Record<string, unknown> {
    return this.inner.options;
  }

  act(observation: Obs, options?: ActOptions): Act {
    return this.inner.act(observation, options) as Act;
  }

  onEpisodeStart(): void {
    this.inner.onEpisodeStart?.();
  }

  async learn(env: Env<Obs, Act> | VectorEnv, options: LearnOptions): Promise<LearnResult> {
    if (isVectorEnv(env)) {
      const vec = makeVec(this.envId, env.numEnvs, { options: this.trainOptions, autoresetMode: env.autoresetMode });
      try {
        return await this.inner.learn(vec, options);
      } finally {
        await vec.close();
      }
    }
    const train = make(this.envId, this.trainOptions);
    try {
      train.reset({ seed: this.seed });
      return await this.inner.learn(train, options);
    } finally {
      train.close();
    }
  }

  save(dir: string): Promise<void> {
    return this.inner.save(dir);
  }

  load(dir: string): Promise<void> {
    return this.inner.load(dir);
  }

  dispose(): void {
    this.inner.dispose?.();
  }
}
