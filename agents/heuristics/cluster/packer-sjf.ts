/**
 * `packer-sjf` on ClusterScheduling-v0 (DeepRM's get_packer_sjf_action): among the slot jobs that fit now,
 * the one maximising knob · alignment + (1 − knob) / len; knob 1 is Packer, knob 0 is SJF. The alignment
 * (up to numRes · resSlot · maxJobSize) outweighs 1/len (at most 1) unless knob is small; the default 0.5
 * weighs the two terms equally as written, i.e. Packer with SJF breaking ties.
 */
import { opt, parseOptions } from '../../../core/options.js';
import type { ClusterStateView } from '../../../envs/cluster/state-view.js';
import { registerAgent } from '../../core/registry.js';
import { alignment, ScoringClusterHeuristic, supportsCluster } from './common.js';

export class ClusterPackerSjfAgent extends ScoringClusterHeuristic {
  constructor(readonly knob: number) {
    super('packer-sjf', { knob });
  }

  protected score(view: ClusterStateView, slot: number): number {
    return this.knob * alignment(view, slot) + (1 - this.knob) / view.slotLength[slot];
  }
}

registerAgent({
  name: 'packer-sjf',
  kind: 'heuristic',
  priority: 1,
  description:
    'ClusterScheduling-v0: knob · Packer alignment + (1 − knob) / len over fitting slot jobs (DeepRM baseline; option knob in [0, 1])',
  supports: supportsCluster,
  create: (_env, options) =>
    new ClusterPackerSjfAgent(parseOptions('packer-sjf', options, { knob: opt.number(0.5, { min: 0, max: 1 }) }).knob),
});
