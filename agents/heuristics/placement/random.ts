/**
 * `random` on GpuClusterPlacement-v0, the reference's RandomScore: a node drawn uniformly among those where
 * the pod fits (from the env's seeded stream), and a shared GPU drawn uniformly among those that fit
 * (gpuSelMethod 'random').
 */
import { parseOptions } from '../../../core/options.js';
import type { GpuRule } from '../../../envs/placement/cluster.js';
import { useGpuRule, viewRandom } from '../../../envs/placement/state-view.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import { requireView, supportsPlacement } from './common.js';

export class PlacementRandomAgent extends HeuristicAgent<Float32Array, number> {
  readonly gpuRule: GpuRule = 'random';

  constructor() {
    super('random', {});
  }

  act(_observation: Float32Array, options: ActOptions = {}): number {
    const view = requireView(this.name, options.info);
    useGpuRule(view, this.gpuRule);
    let k = Math.floor(viewRandom(view) * view.validCount);
    for (let i = 0; i < view.numNodes; i++) {
      if (view.mask[i] && k-- === 0) return i;
    }
    throw new Error('unreachable: validCount disagrees with the mask');
  }
}

registerAgent({
  name: 'random',
  kind: 'heuristic',
  priority: 2,
  description: 'GpuClusterPlacement-v0: a uniform node among those where the pod fits, a uniform shared GPU (FGD paper baseline)',
  supports: supportsPlacement,
  create: (_env, options) => {
    parseOptions('random', options, {});
    return new PlacementRandomAgent();
  },
});
