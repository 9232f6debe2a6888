/**
 * `ppo-train-split`: PPO that always trains on the train split of CapacityPlanning-v0, whatever split it
 * is evaluated on. The experiment runner builds the training envs with the task's env options, which are
 * also its evaluation env's (it has no separate evaluation options), so a task on `split: test` would
 * otherwise train on the test split. This agent makes `ppo` with the given options and, in `learn`,
 * replaces the env it is handed by the same env on `split: 'train'` (same number of sub-envs, same-step
 * autoreset, as the runner builds them); acting, saving and loading are PPO's own, so its checkpoint is a
 * plain `ppo` checkpoint. No validation inside: selecting a model on the runner's validation episodes
 * would select on the test split.
 */
import { make } from '../../../envs/core/registry.js';
import type { Env } from '../../../envs/core/env.js';
import { makeVec } from '../../../envs/core/vector/make-vec.js';
import type { VectorEnv } from '../../../envs/core/vector/types.js';
import type { ActOptions, Agent, LearnOptions, LearnResult } from '../../core/agent.js';
import { listAgents, makeAgent, registerAgent } from '../../core/registry.js';
import { capacityEnv, supportsCapacity } from './supports.js';

const ENV_ID = 'CapacityPlanning-v0';

export class TrainSplitAgent implements Agent<Float32Array, Float32Array | number> {
  readonly name = 'ppo-train-split';

  constructor(
    readonly inner: Agent,
    private readonly trainOptions: Record<string, unknown>,
    private readonly seed: number,
  ) {}

  get options(): Record<string, unknown> {
    return this.inner.options;
  }

  act(observation: Float32Array, options?: ActOptions): Float32Array | number {
    return this.inner.act(observation, options) as Float32Array | number;
  }

  onEpisodeStart(): void {
    this.inner.onEpisodeStart?.();
  }

  async learn(env: Env<Float32Array, Float32Array | number> | VectorEnv, options: LearnOptions): Promise<LearnResult> {
    if ('numEnvs' in env) {
      const vec = makeVec(ENV_ID, env.numEnvs, { options: this.trainOptions, autoresetMode: env.autoresetMode });
      try {
        return await this.inner.learn(vec, options);
      } finally {
        await vec.close();
      }
    }
    const train = make(ENV_ID, this.trainOptions);
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

registerAgent({
  name: 'ppo-train-split',
  kind: 'learned',
  description: "PPO trained on CapacityPlanning-v0's train split whatever split it is evaluated on (options: ppo's)",
  supports: supportsCapacity,
  // The runner hands learn() a vector env of this many sub-envs: PPO's numEnvs.
  vectorEnvs: (options) => listAgents().find((a) => a.name === 'ppo')?.vectorEnvs?.(options) ?? 1,
  create: (env, options, ctx) => {
    const inner = makeAgent('ppo', env, options, { ...ctx, envId: ENV_ID });
    const trainOptions = { ...capacityEnv(env)!.options, split: 'train' };
    return new TrainSplitAgent(inner, trainOptions, ctx.seed);
  },
});
