/** `gpu-clustering` on GpuClusterPlacement-v0: GpuClusteringScore: nodes already running pods of the same GPU-affinity tag, best-fit GPU (see scores.ts). */
import { parseOptions } from '../../../core/options.js';
import type { GpuRule } from '../../../envs/placement/cluster.js';
import type { PlacementStateView } from '../../../envs/placement/state-view.js';
import { registerAgent } from '../../core/registry.js';
import { ScoringPlacementHeuristic, supportsPlacement } from './common.js';
import { gpuClusteringScore } from './scores.js';

export class PlacementGpuClusteringAgent extends ScoringPlacementHeuristic {
  protected readonly gpuRule: GpuRule = 'best';

  constructor() {
    super('gpu-clustering', {});
  }

  protected score(view: PlacementStateView, i: number): number {
    return gpuClusteringScore(view, i);
  }
}

registerAgent({
  name: 'gpu-clustering',
  kind: 'heuristic',
  priority: 1,
  description: 'GpuClusterPlacement-v0: GpuClusteringScore: nodes already running pods of the same GPU-affinity tag, best-fit GPU',
  supports: supportsPlacement,
  create: (_env, options) => {
    parseOptions('gpu-clustering', options, {});
    return new PlacementGpuClusteringAgent();
  },
});
