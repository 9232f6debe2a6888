/** `fgd` on GpuClusterPlacement-v0: FGD (Weng et al., ATC 2023): the node and GPU that most reduce the expected fragmentation (see scores.ts). */
import { parseOptions } from '../../../core/options.js';
import type { GpuRule } from '../../../envs/placement/cluster.js';
import type { PlacementStateView } from '../../../envs/placement/state-view.js';
import { registerAgent } from '../../core/registry.js';
import { ScoringPlacementHeuristic, supportsPlacement } from './common.js';
import { fgdNodeScore } from './scores.js';
import { ViewFragmentation } from './view-fragmentation.js';

export class PlacementFgdAgent extends ScoringPlacementHeuristic {
  protected readonly gpuRule: GpuRule = 'fgd';
  private readonly frag = new ViewFragmentation();

  constructor() {
    super('fgd', {});
  }

  protected override prepare(view: PlacementStateView): void {
    this.frag.sync(view);
  }

  protected score(view: PlacementStateView, i: number): number {
    return fgdNodeScore(view, i, this.frag);
  }
}

registerAgent({
  name: 'fgd',
  kind: 'heuristic',
  priority: 1,
  description: 'GpuClusterPlacement-v0: FGD (Weng et al., ATC 2023): the node and GPU that most reduce the expected fragmentation',
  supports: supportsPlacement,
  create: (_env, options) => {
    parseOptions('fgd', options, {});
    return new PlacementFgdAgent();
  },
});
