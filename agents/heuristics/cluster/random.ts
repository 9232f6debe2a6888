/**
 * `random` on ClusterScheduling-v0, as DeepRM's get_random_action: uniform over all numSlots + 1 actions,
 * "do nothing" included and the mask ignored (an empty slot or a job that does not fit acts as "do
 * nothing"). Its draws come from its own generator, seeded from the agent seed.
 */
import { parseOptions } from '../../../core/options.js';
import { Rng } from '../../../core/rng.js';
import { Discrete } from '../../../envs/core/spaces/discrete.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import { supportsCluster } from './common.js';

export class ClusterRandomAgent extends HeuristicAgent<Float32Array, number> {
  private readonly rng: Rng;

  constructor(
    private readonly numActions: number,
    seed: number,
  ) {
    super('random', {});
    this.rng = new Rng(seed);
  }

  act(): number {
    return this.rng.integers(0, this.numActions);
  }
}

registerAgent({
  name: 'random',
  kind: 'heuristic',
  priority: 1,
  description: 'ClusterScheduling-v0: uniform over all numSlots + 1 actions, ignoring the mask (DeepRM baseline)',
  supports: supportsCluster,
  create: (env, options, ctx) => {
    parseOptions('random', options, {});
    return new ClusterRandomAgent((env.actionSpace as Discrete).n, ctx.seed);
  },
});
