/**
 * FGD's fragmentation of every node, computed by the policy from the data of GpuClusterPlacement-v0's state
 * view: the pure measure of envs/placement/fragmentation.ts over the view's typical pods, memoised by a
 * FragmentationCache. `sync` re-interns only the nodes whose free CPU or GPUs changed since the last view
 * it saw (a decision changes one node), so a decision costs a scan of the view, not 1,213 fragmentation
 * computations.
 */
import { FragmentationCache } from '../../../envs/placement/fragmentation-cache.js';
import type { TypicalPod } from '../../../envs/placement/fragmentation.js';
import type { PlacementStateView } from '../../../envs/placement/state-view.js';
import { MAX_GPUS_PER_NODE } from '../../../envs/placement/trace.js';

export class ViewFragmentation {
  private cache: FragmentationCache | null = null;
  private typicalSeen: readonly TypicalPod[] | null = null;
  private typicalKey = '';
  private cpuSeen = new Float64Array(0);
  private gpuSeen = new Int32Array(0);
  private modelSeen = new Int32Array(0);
  private countSeen = new Int32Array(0);
  private stateId = new Int32Array(0);
  private shapeId = 0;

  /** Brings the per-node states up to the view (and the pending pod's shape id). */
  sync(view: PlacementStateView): void {
    const cache = this.cacheFor(view.typical);
    const n = view.numNodes;
    if (this.stateId.length !== n) {
      this.cpuSeen = new Float64Array(n).fill(NaN);
      this.gpuSeen = new Int32Array(n * MAX_GPUS_PER_NODE);
      this.modelSeen = new Int32Array(n);
      this.countSeen = new Int32Array(n);
      this.stateId = new Int32Array(n);
    }
    const { cpuLeft, gpuLeft, model, gpuCount } = view;
    for (let i = 0; i < n; i++) {
      const base = i * MAX_GPUS_PER_NODE;
      const count = gpuCount[i];
      let same = this.cpuSeen[i] === cpuLeft[i] && this.modelSeen[i] === model[i] && this.countSeen[i] === count;
      for (let g = base, end = base + count; same && g < end; g++) same = this.gpuSeen[g] === gpuLeft[g];
      if (same) continue;
      this.cpuSeen[i] = cpuLeft[i];
      this.modelSeen[i] = model[i];
      this.countSeen[i] = count;
      for (let g = base, end = base + count; g < end; g++) this.gpuSeen[g] = gpuLeft[g];
      this.stateId[i] = cache.intern(model[i], cpuLeft[i], count, gpuLeft.subarray(base, base + count));
    }
    this.shapeId = cache.shapeId(view.pod);
  }

  /** FGD's fragment amount of node i now (after `sync`). */
  nodeFrag(i: number): number {
    return this.cache!.frag(this.stateId[i]);
  }

  /** The lowest fragment amount node i can have once the view's pod is placed on it (after `sync`; the pod must fit). */
  fragAfter(view: PlacementStateView, i: number): number {
    const base = i * MAX_GPUS_PER_NODE;
    const count = view.gpuCount[i];
    return this.cache!.fragAfter(
      this.stateId[i],
      view.model[i],
      view.cpuLeft[i],
      count,
      view.gpuLeft.subarray(base, base + count),
      view.pod,
      this.shapeId,
    );
  }

  /** The cache for these typical pods: kept while they stay the same (by identity, else by content). */
  private cacheFor(typical: readonly TypicalPod[]): FragmentationCache {
    if (this.cache && typical === this.typicalSeen) return this.cache;
    const key = JSON.stringify(typical);
    if (!this.cache || key !== this.typicalKey) {
      this.cache = new FragmentationCache(typical);
      this.typicalKey = key;
      this.cpuSeen.fill(NaN);
    }
    this.typicalSeen = typical;
    return this.cache;
  }
}
