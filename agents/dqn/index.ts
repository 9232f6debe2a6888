/** Registers DQN ('dqn') for Discrete action spaces (masked or not). */
import { parseOptions } from '../../core/options.js';
import { registerAgent } from '../core/registry.js';
import { flatObservationSupports } from '../core/supports.js';
import { DQN, dqnUnsupported } from './dqn.js';
import { dqnOptionSchema } from './options.js';

export { DQN } from './dqn.js';
export { dqnOptionSchema, DQN_ZOO_CARTPOLE, type DqnOptions } from './options.js';

registerAgent({
  name: 'dqn',
  kind: 'learned',
  description: 'Deep Q-Network (Stable-Baselines3 defaults): replay, target network, double DQN option, linear ε schedule, masked argmax',
  supports: flatObservationSupports(dqnUnsupported),
  vectorEnvs: (options) => parseOptions('dqn', options, dqnOptionSchema).numEnvs,
  create: (env, options, ctx) =>
    new DQN(env.observationSpace, env.actionSpace, options /* JSON, validated by the constructor */, {
      seed: ctx.seed,
      envId: ctx.envId ?? env.spec?.id,
    }),
});
