/** `gpu-packing` on GpuClusterPlacement-v0: GpuPackingScore: partly used GPUs first, then free GPUs of used nodes, then free nodes; best-fit GPU (see scores.ts). */
import { parseOptions } from '../../../core/options.js';
import type { GpuRule } from '../../../envs/placement/cluster.js';
import type { PlacementStateView } from '../../../envs/placement/state-view.js';
import { registerAgent } from '../../core/registry.js';
import { ScoringPlacementHeuristic, supportsPlacement } from './common.js';
import { gpuPackingScore } from './scores.js';

export class PlacementGpuPackingAgent extends ScoringPlacementHeuristic {
  protected readonly gpuRule: GpuRule = 'best';

  constructor() {
    super('gpu-packing', {});
  }

  protected score(view: PlacementStateView, i: number): number {
    return gpuPackingScore(view, i);
  }
}

registerAgent({
  name: 'gpu-packing',
  kind: 'heuristic',
  priority: 1,
  description:
    'GpuClusterPlacement-v0: GpuPackingScore: partly used GPUs first, then free GPUs of used nodes, then free nodes; best-fit GPU',
  supports: supportsPlacement,
  create: (_env, options) => {
    parseOptions('gpu-packing', options, {});
    return new PlacementGpuPackingAgent();
  },
});
