/** `sjf` on ClusterScheduling-v0: shortest job first among the slot jobs that fit now (DeepRM's get_sjf_action). */
import { parseOptions } from '../../../core/options.js';
import type { ClusterStateView } from '../../../envs/cluster/state-view.js';
import { registerAgent } from '../../core/registry.js';
import { ScoringClusterHeuristic, supportsCluster } from './common.js';

export class ClusterSjfAgent extends ScoringClusterHeuristic {
  constructor() {
    super('sjf', {});
  }

  protected score(view: ClusterStateView, slot: number): number {
    return 1 / view.slotLength[slot];
  }
}

registerAgent({
  name: 'sjf',
  kind: 'heuristic',
  priority: 1,
  description: 'ClusterScheduling-v0: the shortest slot job that fits now (DeepRM baseline)',
  supports: supportsCluster,
  create: (_env, options) => {
    parseOptions('sjf', options, {});
    return new ClusterSjfAgent();
  },
});
