/** `best-fit` on GpuClusterPlacement-v0: BestFitScore: the node with the least free CPU and GPU after the pod, best-fit GPU (see scores.ts). */
import { parseOptions } from '../../../core/options.js';
import type { GpuRule } from '../../../envs/placement/cluster.js';
import type { PlacementStateView } from '../../../envs/placement/state-view.js';
import { registerAgent } from '../../core/registry.js';
import { ScoringPlacementHeuristic, supportsPlacement } from './common.js';
import { bestFitScore } from './scores.js';

export class PlacementBestFitAgent extends ScoringPlacementHeuristic {
  protected readonly gpuRule: GpuRule = 'best';

  constructor() {
    super('best-fit', {});
  }

  protected score(view: PlacementStateView, i: number): number {
    return bestFitScore(view, i);
  }
}

registerAgent({
  name: 'best-fit',
  kind: 'heuristic',
  priority: 1,
  description: 'GpuClusterPlacement-v0: BestFitScore: the node with the least free CPU and GPU after the pod, best-fit GPU',
  supports: supportsPlacement,
  create: (_env, options) => {
    parseOptions('best-fit', options, {});
    return new PlacementBestFitAgent();
  },
});
