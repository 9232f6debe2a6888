/**
 * `random` on GpuClusterPlacement-v0, the reference's RandomScore: a node drawn uniformly among those where
 * the pod fits and a shared GPU drawn uniformly among those that fit (gpuSelMethod 'random'). Both draws are
 * the env's, from its seeded tie-break stream: the agent hands the env every node where the pod fits, by
 * index, as a draw action (`{candidates, gpuRule: 'random'}`).
 */
import { parseOptions } from '../../../core/options.js';
import type { GpuRule } from '../../../envs/placement/cluster.js';
import type { PlacementDrawAction } from '../../../envs/placement/state-view.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import { requireView, supportsPlacement } from './common.js';

export class PlacementRandomAgent extends HeuristicAgent<Float32Array, PlacementDrawAction> {
  readonly gpuRule: GpuRule = 'random';

  constructor() {
    super('random', {});
  }

  act(_observation: Float32Array, options: ActOptions = {}): PlacementDrawAction {
    const view = requireView(this.name, options.info);
    const candidates = new Int32Array(view.validCount);
    for (let i = 0, k = 0; i < view.numNodes; i++) if (view.mask[i]) candidates[k++] = i;
    return { candidates, gpuRule: this.gpuRule };
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
