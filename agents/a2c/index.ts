/** Registers A2C ('a2c') for Discrete, MultiDiscrete and Box action spaces. */
import { parseOptions } from '../../core/options.js';
import { actorCriticSupports } from '../core/actor-critic-support.js';
import { registerAgent } from '../core/registry.js';
import { A2C } from './a2c.js';
import { a2cOptionSchema } from './options.js';

export { A2C } from './a2c.js';
export { a2cOptionSchema, type A2cOptions } from './options.js';

registerAgent({
  name: 'a2c',
  kind: 'learned',
  description:
    'Advantage Actor-Critic (Stable-Baselines3 defaults: n_steps 5, RMSprop), masked categorical / MultiDiscrete / Gaussian policies',
  supports: actorCriticSupports,
  vectorEnvs: (options) => parseOptions('a2c', options, a2cOptionSchema).numEnvs,
  create: (env, options, ctx) =>
    new A2C(env.observationSpace, env.actionSpace, options /* JSON, validated by the constructor */, {
      seed: ctx.seed,
      envId: ctx.envId ?? env.spec?.id,
    }),
});
