/**
 * `ppo-train-split` on WanTrafficEngineering-v0: PPO that always trains on the env's train split (the first
 * 75 % of the series), whatever split it is evaluated on. The experiment runner builds the training envs
 * from the task's env options, which are also its evaluation env's (it has no separate evaluation
 * options), so a task on `split: test` would otherwise train on the test matrices. This agent makes `ppo`
 * with the given options and, in `learn`, replaces the env it is handed by the same env on
 * `split: 'train'` (same number of sub-envs and autoreset mode as the runner's); acting, saving and loading
 * are PPO's own, so its checkpoint is a plain `ppo` checkpoint. The same agent name serves
 * CapacityPlanning-v0 (agents/heuristics/capacity/), told apart by the env.
 */
import { make } from '../../../envs/core/registry.js';
import type { Env } from '../../../envs/core/env.js';
import { makeVec } from '../../../envs/core/vector/make-vec.js';
import type { VectorEnv } from '../../../envs/core/vector/types.js';
import { ENV_ID, WanTrafficEngineeringEnv, type WanAction } from '../../../envs/traffic/wan-te.js';
import type { ActOptions, Agent, LearnOptions, LearnResult } from '../../core/agent.js';
import { listAgents, makeAgent, registerAgent } from '../../core/registry.js';
import { supportsTraffic } from './baselines.js';

export class TrafficTrainSplitAgent implements Agent<Float32Array, WanAction> {
  readonly name = 'ppo-train-split';

  constructor(
    readonly inner: Agent,
    private readonly trainOptions: Record<string, unknown>,
    private readonly seed: number,
  ) {}

  get options(): Record<string, unknown> {
    return this.inner.options;
  }

  act(observation: Float32Array, options?: ActOptions): WanAction {
    return this.inner.act(observation, options) as WanAction;
  }

  onEpisodeStart(): void {
    this.inner.onEpisodeStart?.();
  }

  async learn(env: Env<Float32Array, WanAction> | VectorEnv, options: LearnOptions): Promise<LearnResult> {
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
  description: "PPO trained on WanTrafficEngineering-v0's train split whatever split it is evaluated on (options: ppo's)",
  supports: supportsTraffic,
  // As many training sub-envs as ppo would take with these options (the runner builds them).
  vectorEnvs: (options) => listAgents().find((a) => a.name === 'ppo' && a.vectorEnvs)?.vectorEnvs?.(options) ?? 1,
  create: (env, options, ctx) => {
    const inner = makeAgent('ppo', env, options, { ...ctx, envId: ENV_ID });
    const trainOptions = { ...(env.unwrapped as WanTrafficEngineeringEnv).options, split: 'train' };
    return new TrafficTrainSplitAgent(inner, trainOptions, ctx.seed);
  },
});
