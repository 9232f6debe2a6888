/**
 * `fcfs` on ClusterScheduling-v0: strict first come, first served. The job that arrived first among the
 * slots (the backlog only holds later arrivals; ties keep the lower slot) is placed if it fits now;
 * otherwise the agent waits, and no later job overtakes it.
 */
import { parseOptions } from '../../../core/options.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import { requireView, supportsCluster } from './common.js';

export class ClusterFcfsAgent extends HeuristicAgent<Float32Array, number> {
  constructor() {
    super('fcfs', {});
  }

  act(_observation: Float32Array, options: ActOptions = {}): number {
    const view = requireView(this.name, options.info);
    let oldest = -1;
    for (let s = 0; s < view.numSlots; s++) {
      if (view.slotLength[s] > 0 && (oldest < 0 || view.slotArrival[s] < view.slotArrival[oldest])) oldest = s;
    }
    return oldest >= 0 && view.slotFits[oldest] ? oldest : view.numSlots;
  }
}

registerAgent({
  name: 'fcfs',
  kind: 'heuristic',
  priority: 1,
  description: 'ClusterScheduling-v0: the earliest-arrived slot job if it fits now, else wait (strict FCFS)',
  supports: supportsCluster,
  create: (_env, options) => {
    parseOptions('fcfs', options, {});
    return new ClusterFcfsAgent();
  },
});
