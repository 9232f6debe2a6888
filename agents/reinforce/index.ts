/** Registers REINFORCE ('reinforce') for Discrete and MultiDiscrete action spaces (masked or not). */
import { registerAgent } from '../core/registry.js';
import { flatObservationSupports } from '../core/supports.js';
import { REINFORCE, reinforceUnsupported } from './reinforce.js';

export { REINFORCE, discount, timeDependentBaseline } from './reinforce.js';
export { reinforceOptionSchema, type ReinforceOptions } from './options.js';

registerAgent({
  name: 'reinforce',
  kind: 'learned',
  description: "REINFORCE with DeepRM's time-dependent baseline over repeated rollouts of one job sequence; masked softmax MLP policy",
  supports: flatObservationSupports(reinforceUnsupported),
  vectorEnvs: () => 1,
  create: (env, options, ctx) =>
    new REINFORCE(env.observationSpace, env.actionSpace, options /* JSON, validated by the constructor */, {
      seed: ctx.seed,
      envId: ctx.envId ?? env.spec?.id,
    }),
});
