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
import { listAgents, makeAgent, registerAgent } from '../../core/registry.js';
import { TrainOnOptionsAgent } from '../../core/train-split-agent.js';
import { capacityEnv, supportsCapacity } from './supports.js';

const ENV_ID = 'CapacityPlanning-v0';

registerAgent({
  name: 'ppo-train-split',
  kind: 'learned',
  description: "PPO trained on CapacityPlanning-v0's train split whatever split it is evaluated on (options: ppo's)",
  supports: supportsCapacity,
  // The runner hands learn() a vector env of this many sub-envs: PPO's numEnvs.
  vectorEnvs: (options) =>
    listAgents()
      .find((a) => a.name === 'ppo')
      ?.vectorEnvs?.(options) ?? 1,
  create: (env, options, ctx) => {
    const inner = makeAgent('ppo', env, options, { ...ctx, envId: ENV_ID });
    const trainOptions = { ...capacityEnv(env)!.options, split: 'train' };
    return new TrainOnOptionsAgent('ppo-train-split', inner, ENV_ID, trainOptions, ctx.seed);
  },
});
