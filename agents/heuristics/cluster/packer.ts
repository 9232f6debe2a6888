/**
 * `packer` on ClusterScheduling-v0 (Tetris, DeepRM's get_packer_action): among the slot jobs that fit now,
 * the one whose demand vector best aligns with the free resources now (largest dot product).
 */
import { parseOptions } from '../../../core/options.js';
import type { ClusterStateView } from '../../../envs/cluster/state-view.js';
import { registerAgent } from '../../core/registry.js';
import { alignment, ScoringClusterHeuristic, supportsCluster } from './common.js';

export class ClusterPackerAgent extends ScoringClusterHeuristic {
  constructor() {
    super('packer', {});
  }

  protected score(view: ClusterStateView, slot: number): number {
    return alignment(view, slot);
  }
}

registerAgent({
  name: 'packer',
  kind: 'heuristic',
  priority: 1,
  description: 'ClusterScheduling-v0: the fitting slot job best aligned with the free resources (Tetris; DeepRM baseline)',
  supports: supportsCluster,
  create: (_env, options) => {
    parseOptions('packer', options, {});
    return new ClusterPackerAgent();
  },
});
