/** Registers PPO ('ppo') for Discrete, MultiDiscrete and Box action spaces. */
import { parseOptions } from '../../core/options.js';
import { actorCriticSupports } from '../core/actor-critic-support.js';
import { registerAgent } from '../core/registry.js';
import { ppoOptionSchema } from './options.js';
import { PPO } from './ppo.js';

export { PPO } from './ppo.js';
export { ppoOptionSchema, type PpoOptions } from './options.js';

registerAgent({
  name: 'ppo',
  kind: 'learned',
  description: 'Proximal Policy Optimization (CleanRL ppo.py defaults), masked categorical / MultiDiscrete / Gaussian policies',
  supports: actorCriticSupports,
  vectorEnvs: (options) => parseOptions('ppo', options, ppoOptionSchema).numEnvs,
  create: (env, options, ctx) =>
    new PPO(env.observationSpace, env.actionSpace, options /* JSON, validated by the constructor */, {
      seed: ctx.seed,
      envId: ctx.envId ?? env.spec?.id,
    }),
});
