/** Registers REINFORCE ('reinforce') for Discrete and MultiDiscrete action spaces (masked or not). */
import { registerAgent } from '../core/registry.js';
import { flatdim } from '../../envs/core/spaces/flatten.js';
import { REINFORCE, reinforceUnsupported } from './reinforce.js';

export { REINFORCE, discount, timeDependentBaseline } from './reinforce.js';
export { reinforceOptionSchema, type ReinforceOptions } from './options.js';

registerAgent({
  name: 'reinforce',
  kind: 'learned',
  description: "REINFORCE with DeepRM's time-dependent baseline over repeated rollouts of one job sequence; masked softmax MLP policy",
  supports: (env) => {
    const why = reinforceUnsupported(env.actionSpace);
    if (why) return why;
    try {
      flatdim(env.observationSpace);
    } catch {
      return `observation space ${env.observationSpace.toString()} cannot be flattened`;
    }
    return null;
  },
  create: (env, options, ctx) => new REINFORCE(env.observationSpace, env.actionSpace, options, { seed: ctx.seed, envId: ctx.envId ?? env.spec?.id }),
});
