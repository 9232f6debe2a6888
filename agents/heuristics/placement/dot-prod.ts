/** `dot-prod` on GpuClusterPlacement-v0: DotProductScore (Tetris; dimExt merge, norm max), best-fit GPU (see scores.ts). */
import { parseOptions } from '../../../core/options.js';
import type { GpuRule } from '../../../envs/placement/cluster.js';
import type { PlacementStateView } from '../../../envs/placement/state-view.js';
import { registerAgent } from '../../core/registry.js';
import { ScoringPlacementHeuristic, supportsPlacement } from './common.js';
import { dotProductScore } from './scores.js';

export class PlacementDotProdAgent extends ScoringPlacementHeuristic {
  protected readonly gpuRule: GpuRule = 'best';

  constructor() {
    super('dot-prod', {});
  }

  protected score(view: PlacementStateView, i: number): number {
    return dotProductScore(view, i);
  }
}

registerAgent({
  name: 'dot-prod',
  kind: 'heuristic',
  priority: 1,
  description: 'GpuClusterPlacement-v0: DotProductScore (Tetris; dimExt merge, norm max), best-fit GPU',
  supports: supportsPlacement,
  create: (_env, options) => {
    parseOptions('dot-prod', options, {});
    return new PlacementDotProdAgent();
  },
});
