/** Registers PPO ('ppo') for Discrete, MultiDiscrete and Box action spaces. */
import { registerAgent } from '../core/registry.js';
import { flatdim } from '../../envs/core/spaces/flatten.js';
import { distributionFor } from '../core/distributions.js';
import { PPO } from './ppo.js';

export { PPO } from './ppo.js';
export { ppoOptionSchema, type PpoOptions } from './options.js';

registerAgent({
  name: 'ppo',
  kind: 'learned',
  description: 'Proximal Policy Optimization (CleanRL ppo.py defaults), masked categorical / MultiDiscrete / Gaussian policies',
  supports: (env) => {
    const dist = distributionFor(env.actionSpace);
    if (typeof dist === 'string') return dist;
    try {
      flatdim(env.observationSpace);
    } catch {
      return `observation space ${env.observationSpace.toString()} cannot be flattened`;
    }
    return null;
  },
  create: (env, options, ctx) => new PPO(env.observationSpace, env.actionSpace, options, { seed: ctx.seed, envId: ctx.envId ?? env.spec?.id }),
});
