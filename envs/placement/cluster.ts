/**
 * The cluster model of GpuClusterPlacement-v0: per-node free CPU, memory and GPU milli in typed arrays, the
 * fit test of the reference's filter stage (Kubernetes NodeResourcesFit for CPU and memory, Open-Gpu-Share
 * for the GPU model and GPUs), the GPU pick on the chosen node, and FGD's fragmentation kept per node.
 *
 * Fragmentation is cached (FragmentationCache): a node's fragment amount is computed once per distinct node
 * state, and looked up by the state id kept per node. Memory is not part of a node state: the reference's
 * fragmentation ignores it.
 */
import { FragmentationCache } from './fragmentation-cache.js';
import { fragSumExceptQ3, isAccessible, isSharingPod, type PodShape, type TypicalPod } from './fragmentation.js';
import { MAX_GPUS_PER_NODE, MILLI, type NodeList } from './trace.js';

/** How the GPUs of the chosen node are picked for a pod that shares one GPU (whole-GPU pods always take the first free GPUs by index). */
export type GpuRule = 'best' | 'random' | 'fgd';

/** GPU affinity tags of the reference's GpuClustering: 0 = a sharing pod, k = a pod of k whole GPUs (1–8). */
export const AFFINITY_TAGS = MAX_GPUS_PER_NODE + 1;

export function affinityTag(num: number, milli: number): number {
  if (num === 0) return -1;
  return num === 1 && milli < MILLI ? 0 : num;
}

/** The reference's sigmoid, and FGD's node score from a fragmentation decrease (int64 truncation). */
export function fgdScore(fragBefore: number, fragAfter: number): number {
  return Math.trunc((1 / (1 + Math.exp(-((fragBefore - fragAfter) / 1000)))) * 100);
}

export class ClusterModel {
  readonly n: number;
  readonly cpuCapacity: Float64Array;
  readonly memCapacity: Float64Array;
  readonly gpuCount: Int32Array;
  readonly model: Int32Array;
  readonly totalGpuMilli: number;
  readonly cpuLeft: Float64Array;
  readonly memLeft: Float64Array;
  /** Free milli of GPU g of node i at `i * 8 + g` (0 beyond the node's GPU count). */
  readonly gpuLeft: Int32Array;
  /** Pods per affinity tag on node i at `i * 9 + tag`. */
  readonly affinity: Int32Array;
  /** Distinct affinity tags present on node i. */
  readonly affinityKinds: Int32Array;
  /** Interned state id of each node. */
  readonly stateId: Int32Array;
  allocatedGpuMilli = 0;

  private readonly frags: FragmentationCache;

  constructor(nodes: NodeList, typical: readonly TypicalPod[]) {
    const n = nodes.names.length;
    this.n = n;
    this.frags = new FragmentationCache(typical);
    this.cpuCapacity = nodes.cpuMilli;
    this.memCapacity = nodes.memoryMib;
    this.gpuCount = nodes.gpuCount;
    this.model = nodes.model;
    let total = 0;
    for (let i = 0; i < n; i++) total += nodes.gpuCount[i] * MILLI;
    this.totalGpuMilli = total;
    this.cpuLeft = new Float64Array(n);
    this.memLeft = new Float64Array(n);
    this.gpuLeft = new Int32Array(n * MAX_GPUS_PER_NODE);
    this.affinity = new Int32Array(n * AFFINITY_TAGS);
    this.affinityKinds = new Int32Array(n);
    this.stateId = new Int32Array(n);
    this.reset();
  }

  /** Every node empty (the interned states and memos are kept: they depend only on the typical pods). */
  reset(): void {
    this.cpuLeft.set(this.cpuCapacity);
    this.memLeft.set(this.memCapacity);
    this.gpuLeft.fill(0);
    for (let i = 0; i < this.n; i++) for (let g = 0; g < this.gpuCount[i]; g++) this.gpuLeft[i * MAX_GPUS_PER_NODE + g] = MILLI;
    this.affinity.fill(0);
    this.affinityKinds.fill(0);
    this.allocatedGpuMilli = 0;
    for (let i = 0; i < this.n; i++) this.stateId[i] = this.internNode(i);
  }

  private internNode(i: number): number {
    const base = i * MAX_GPUS_PER_NODE;
    return this.frags.intern(this.model[i], this.cpuLeft[i], this.gpuCount[i], this.gpuLeft.subarray(base, base + MAX_GPUS_PER_NODE));
  }

  /** FGD's fragment amount of node i now (GPU milli). */
  nodeFrag(i: number): number {
    return this.frags.frag(this.stateId[i]);
  }

  /** The fragment amount per category of node i now. */
  nodeFragAmount(i: number): Float64Array {
    return this.frags.amount(this.stateId[i]);
  }

  /** Does the pod fit on node i: CPU, memory, GPU model, and enough GPUs with its milli free. */
  fits(i: number, cpu: number, mem: number, num: number, milli: number, specMask: number): boolean {
    if (this.cpuLeft[i] < cpu || this.memLeft[i] < mem) return false;
    if (num === 0) return true;
    if (this.gpuCount[i] === 0 || !isAccessible(this.model[i], specMask)) return false;
    const base = i * MAX_GPUS_PER_NODE;
    let need = num;
    for (let g = 0; g < this.gpuCount[i]; g++) {
      if (this.gpuLeft[base + g] >= milli && --need === 0) return true;
    }
    return false;
  }

  /** Fills `mask` (1 = the pod fits) and returns how many nodes fit (the test of `fits`, inlined). */
  fillMask(mask: Uint8Array, cpu: number, mem: number, num: number, milli: number, specMask: number): number {
    const { n, cpuLeft, memLeft, gpuCount, gpuLeft, model } = this;
    let count = 0;
    for (let i = 0; i < n; i++) {
      let ok = cpuLeft[i] >= cpu && memLeft[i] >= mem;
      if (ok && num > 0) {
        const m = model[i];
        ok = gpuCount[i] > 0 && (specMask === 0 || (m >= 0 && ((specMask >>> m) & 1) === 1));
        if (ok) {
          let need = num;
          const base = i * MAX_GPUS_PER_NODE;
          const end = base + gpuCount[i];
          for (let g = base; g < end && need > 0; g++) if (gpuLeft[g] >= milli) need--;
          ok = need === 0;
        }
      }
      mask[i] = ok ? 1 : 0;
      if (ok) count++;
    }
    return count;
  }

  /** Total free GPU milli of node i. */
  gpuLeftTotal(i: number): number {
    const base = i * MAX_GPUS_PER_NODE;
    let s = 0;
    for (let g = 0; g < this.gpuCount[i]; g++) s += this.gpuLeft[base + g];
    return s;
  }

  /** Fully free GPUs of node i. */
  fullyFreeGpus(i: number): number {
    const base = i * MAX_GPUS_PER_NODE;
    let c = 0;
    for (let g = 0; g < this.gpuCount[i]; g++) if (this.gpuLeft[base + g] === MILLI) c++;
    return c;
  }

  /** The fragment amount of node i after the pod takes GPU g (a sharing pod). */
  private fragAfterOn(i: number, pod: PodShape, g: number): number {
    const base = i * MAX_GPUS_PER_NODE;
    return this.frags.fragAfterOn(
      this.model[i],
      this.cpuLeft[i],
      this.gpuCount[i],
      this.gpuLeft.subarray(base, base + MAX_GPUS_PER_NODE),
      pod,
      g,
    );
  }

  /**
   * The GPUs the pod takes on node i: whole-GPU pods the first fully free GPUs by index
   * (AllocateExclusiveGpuId); a sharing pod one GPU by `rule`: 'best' the least free GPU that fits (first by
   * index on ties), 'random' a uniform one among those that fit, 'fgd' the one with the highest FGD score
   * (first by index on ties of the integer score).
   */
  selectGpus(i: number, pod: PodShape, rule: GpuRule, random: () => number): number[] {
    if (pod.num === 0) return [];
    const base = i * MAX_GPUS_PER_NODE;
    const count = this.gpuCount[i];
    if (!isSharingPod(pod)) {
      const out: number[] = [];
      for (let g = 0; g < count && out.length < pod.num; g++) if (this.gpuLeft[base + g] === MILLI) out.push(g);
      return out;
    }
    let chosen = -1;
    if (rule === 'best') {
      for (let g = 0; g < count; g++) {
        const left = this.gpuLeft[base + g];
        if (left >= pod.milli && (chosen < 0 || left < this.gpuLeft[base + chosen])) chosen = g;
      }
    } else if (rule === 'random') {
      let seen = 0;
      for (let g = 0; g < count; g++) {
        if (this.gpuLeft[base + g] >= pod.milli) {
          seen++;
          if (Math.floor(random() * seen) === 0) chosen = g;
        }
      }
    } else {
      const before = this.nodeFrag(i);
      let bestScore = 0;
      for (let g = 0; g < count; g++) {
        if (this.gpuLeft[base + g] < pod.milli) continue;
        const score = fgdScore(before, this.fragAfterOn(i, pod, g));
        if (chosen < 0 || score > bestScore) {
          chosen = g;
          bestScore = score;
        }
      }
    }
    return chosen < 0 ? [] : [chosen];
  }

  /** Binds the pod to node i on `gpus`; returns the GPU milli it took. */
  place(i: number, pod: PodShape, mem: number, gpus: readonly number[]): number {
    this.cpuLeft[i] -= pod.cpu;
    this.memLeft[i] -= mem;
    const base = i * MAX_GPUS_PER_NODE;
    for (const g of gpus) this.gpuLeft[base + g] -= pod.milli;
    const tag = affinityTag(pod.num, pod.milli);
    if (tag >= 0) {
      if (this.affinity[i * AFFINITY_TAGS + tag]++ === 0) this.affinityKinds[i]++;
    }
    const milli = pod.milli * gpus.length;
    this.allocatedGpuMilli += milli;
    this.stateId[i] = this.internNode(i);
    return milli;
  }

  /** Cluster fragment amount per category (summed over nodes) and its total except Q3. */
  clusterFrag(): { amount: Float64Array; frag: number; idle: number } {
    const amount = new Float64Array(7);
    for (let i = 0; i < this.n; i++) {
      const a = this.frags.amount(this.stateId[i]);
      for (let k = 0; k < 7; k++) amount[k] += a[k];
    }
    let idle = 0;
    for (let k = 0; k < 7; k++) idle += amount[k];
    return { amount, frag: fragSumExceptQ3(amount), idle };
  }

  get internedStates(): number {
    return this.frags.states;
  }
}
