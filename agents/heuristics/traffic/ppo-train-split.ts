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
import { ENV_ID, type WanTrafficEngineeringEnv } from '../../../envs/traffic/wan-te.js';
import { listAgents, makeAgent, registerAgent } from '../../core/registry.js';
import { TrainOnOptionsAgent } from '../../core/train-split-agent.js';
import { supportsTraffic } from './baselines.js';

registerAgent({
  name: 'ppo-train-split',
  kind: 'learned',
  description: "PPO trained on WanTrafficEngineering-v0's train split whatever split it is evaluated on (options: ppo's)",
  supports: supportsTraffic,
  // As many training sub-envs as ppo would take with these options (the runner builds them).
  vectorEnvs: (options) =>
    listAgents()
      .find((a) => a.name === 'ppo' && a.vectorEnvs)
      ?.vectorEnvs?.(options) ?? 1,
  create: (env, options, ctx) => {
    const inner = makeAgent('ppo', env, options, { ...ctx, envId: ENV_ID });
    const trainOptions = { ...(env.unwrapped as WanTrafficEngineeringEnv).options, split: 'train' };
    return new TrainOnOptionsAgent('ppo-train-split', inner, ENV_ID, trainOptions, ctx.seed);
  },
});
