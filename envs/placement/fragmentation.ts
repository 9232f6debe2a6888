/**
 * GPU fragmentation as FGD measures it (Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing
 * Workloads with Fragmentation Gradient Descent", USENIX ATC 2023; the reference's pkg/utils/frag.go at
 * hkust-adsl/kubernetes-scheduler-simulator 8f3d641, re-implemented here).
 *
 * The "typical pods" are the most frequent pod shapes of the workload (cpu, GPU milli per GPU, GPU count, GPU
 * model constraint), cut where their cumulative share reaches the popularity threshold (0.95) and
 * renormalised. For a node and one typical pod, the node's idle GPU milli falls into one of seven
 * categories (Q1 lack both, Q2 lack GPU, Q3 satisfied, Q4 lack CPU, XL satisfied / XR lack CPU for a
 * CPU-only pod, no access for a GPU-model mismatch); for Q3 the GPUs too small for the pod are Q2. The
 * node's fragment amount is the pod-frequency-weighted sum of every category but Q3; the cluster's is the
 * sum over nodes, and the fragmentation ratio is that over all idle GPU milli.
 */
import { MAX_GPUS_PER_NODE, type PodList } from './trace.js';

/** Category indices of a fragment amount vector (the reference's FragRatioDataMap). */
export const Q1_LACK_BOTH = 0;
export const Q2_LACK_GPU = 1;
export const Q3_SATISFIED = 2;
export const Q4_LACK_CPU = 3;
export const XL_SATISFIED = 4;
export const XR_LACK_CPU = 5;
export const NO_ACCESS = 6;
export const FRAG_CATEGORIES = [
  'q1_lack_both',
  'q2_lack_gpu',
  'q3_satisfied',
  'q4_lack_cpu',
  'xl_satisfied',
  'xr_lack_cpu',
  'no_access',
] as const;

/** A pod's resource shape as the reference keys it (PodResource). */
export interface PodShape {
  cpu: number;
  /** GPU milli per GPU (0 for a CPU-only pod). */
  milli: number;
  num: number;
  /** The model constraint string ('' = any). */
  spec: string;
  /** Bit i: the pod may use model i; 0 = any. */
  specMask: number;
}

export interface TypicalPod extends PodShape {
  /** Share of the pod population (the kept shapes sum to 1). */
  freq: number;
}

/** A node's free resources as the reference's NodeResource (memory is not part of it). */
export interface NodeShape {
  cpuLeft: number;
  /** Free milli of each GPU, in device order (length = the node's GPU count). */
  gpuLeft: ArrayLike<number>;
  /** GPU model index, −1 for a node without GPUs. */
  model: number;
}

export function isAccessible(model: number, specMask: number): boolean {
  if (specMask === 0) return true;
  if (model < 0) return false;
  return ((specMask >>> model) & 1) === 1;
}

/** CanNodeHostPodOnGpuMemory: at least `num` GPUs with `milli` free. */
export function canHostOnGpus(gpuLeft: ArrayLike<number>, milli: number, num: number): boolean {
  let need = num;
  for (let i = 0; i < gpuLeft.length; i++) {
    if (gpuLeft[i] >= milli) {
      need -= 1;
      if (need <= 0) return true;
    }
  }
  return false;
}

/** GetNodePodFrag: the category of the node's idle GPUs for one pod shape. */
export function nodePodCategory(node: NodeShape, pod: PodShape): number {
  if (pod.milli === 0) return node.cpuLeft >= pod.cpu ? XL_SATISFIED : XR_LACK_CPU;
  if (!isAccessible(node.model, pod.specMask)) return NO_ACCESS;
  if (canHostOnGpus(node.gpuLeft, pod.milli, pod.num)) return node.cpuLeft >= pod.cpu ? Q3_SATISFIED : Q4_LACK_CPU;
  return node.cpuLeft >= pod.cpu ? Q2_LACK_GPU : Q1_LACK_BOTH;
}

export function gpuMilliLeftTotal(gpuLeft: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < gpuLeft.length; i++) s += gpuLeft[i];
  return s;
}

/** NodeGpuShareFragAmount: the node's idle GPU milli per category, weighted by the typical pods' frequencies. */
export function nodeFragAmount(node: NodeShape, typical: readonly TypicalPod[], out = new Float64Array(7)): Float64Array {
  out.fill(0);
  const total = gpuMilliLeftTotal(node.gpuLeft);
  for (const pod of typical) {
    const freq = pod.freq;
    if (freq < 0 || freq > 1) continue;
    const cat = nodePodCategory(node, pod);
    if (cat === Q3_SATISFIED) {
      let small = 0;
      for (let i = 0; i < node.gpuLeft.length; i++) if (node.gpuLeft[i] < pod.milli) small += node.gpuLeft[i];
      out[Q2_LACK_GPU] += freq * small;
      out[Q3_SATISFIED] += freq * (total - small);
    } else {
      out[cat] += freq * total;
    }
  }
  return out;
}

/** FragAmountSumExceptQ3, summed in category order as the reference does. */
export function fragSumExceptQ3(amount: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < 7; i++) if (i !== Q3_SATISFIED) s += amount[i];
  return s;
}

/** NodeGpuShareFragAmountScore: the node's fragment amount (GPU milli). */
export function nodeFragScore(node: NodeShape, typical: readonly TypicalPod[]): number {
  return fragSumExceptQ3(nodeFragAmount(node, typical));
}

/**
 * NodeResource.Sub: the node after a pod, its GPUs taken from the least free one that fits upward (a
 * stable ascending sort of the free milli); null where the CPU, the GPU count or the GPUs do not suffice.
 * (No model check, as the reference.)
 */
export function subtractPod(node: NodeShape, pod: PodShape, gpuCount = node.gpuLeft.length): NodeShape | null {
  if (node.cpuLeft < pod.cpu || gpuCount < pod.num) return null;
  const left = Array.from(node.gpuLeft);
  const out: NodeShape = { cpuLeft: node.cpuLeft - pod.cpu, gpuLeft: left, model: node.model };
  if (pod.num === 0) return out;
  const order = left.map((_, i) => i).sort((a, b) => left[a] - left[b] || a - b);
  let need = pod.num;
  for (const i of order) {
    if (pod.milli <= left[i]) {
      need -= 1;
      left[i] -= pod.milli;
      if (need <= 0) return out;
    }
  }
  return null;
}

/** Share of the typical pods whose category is not Q3 (FragRatioSumExceptQ3 of NodeGpuFragRatio). */
function fragRatioExceptQ3(node: NodeShape, typical: readonly TypicalPod[]): number {
  const ratio = new Float64Array(7);
  for (const pod of typical) {
    if (pod.freq < 0 || pod.freq > 1) continue;
    ratio[nodePodCategory(node, pod)] += pod.freq;
  }
  return fragSumExceptQ3(ratio);
}

function bellmanKey(node: NodeShape): string {
  const sorted = Array.from(node.gpuLeft).sort((a, b) => b - a);
  while (sorted.length < MAX_GPUS_PER_NODE) sorted.push(0);
  return `${node.cpuLeft}|${sorted.join(',')}|${node.model}`;
}

/**
 * NodeGpuFragBellman: the expected fragment amount of a node when typical pods keep arriving until none
 * fits (V(s) = Σ_p p·V(s − p), with V = the idle GPU milli once the node is full for ≥ 99.9 % of the pods,
 * branches of cumulative probability × idle milli < 1 cut). `memo` is shared across calls as in the
 * reference (keyed by the node's sorted free resources, not by the cumulative probability).
 */
export function nodeFragBellman(
  node: NodeShape,
  typical: readonly TypicalPod[],
  memo: Map<string, number>,
  cumProb = 1,
  gpuCount = node.gpuLeft.length,
): number {
  const key = bellmanKey(node);
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const total = gpuMilliLeftTotal(node.gpuLeft);
  if (total === 0) return 0;
  if (total * cumProb < 1) return 0;
  let frag = 0;
  if (fragRatioExceptQ3(node, typical) < 0.999) {
    let pvSum = 0;
    for (const pod of typical) {
      const p = pod.freq;
      const next = subtractPod(node, pod, gpuCount);
      if (next === null) {
        pvSum += total * p;
        continue;
      }
      pvSum += nodeFragBellman(next, typical, memo, cumProb * p, gpuCount) * p;
    }
    frag += pvSum * 1.0;
  } else {
    frag = total;
  }
  memo.set(key, frag);
  return frag;
}

/** PodResource.Less, for the reference's ordering of typical pods with equal counts. */
function shapeLess(a: PodShape, b: PodShape): boolean {
  if (a.cpu !== b.cpu) return a.cpu < b.cpu;
  if (a.milli !== b.milli) return a.milli < b.milli;
  if (a.num !== b.num) return a.num < b.num;
  return a.spec < b.spec;
}

export function shapeKey(s: PodShape): string {
  return `${s.cpu}|${s.milli}|${s.num}|${s.spec}`;
}

/**
 * GetTypicalPods (CPU pods included, increase step 1, no GPU weight): shapes by decreasing count (ties:
 * the larger shape first), kept until their cumulative count reaches `threshold` of all pods, then
 * renormalised to sum to 1.
 */
export function typicalPods(pods: PodList, threshold: number): TypicalPod[] {
  const counts = new Map<string, { shape: PodShape; count: number }>();
  for (let i = 0; i < pods.names.length; i++) {
    const shape: PodShape = {
      cpu: pods.cpuMilli[i],
      milli: pods.gpuMilli[i],
      num: pods.numGpu[i],
      spec: pods.gpuSpec[i],
      specMask: pods.gpuSpecMask[i],
    };
    const key = shapeKey(shape);
    const hit = counts.get(key);
    if (hit) hit.count += 1;
    else counts.set(key, { shape, count: 1 });
  }
  const list = [...counts.values()].sort((a, b) => {
    if (a.count !== b.count) return b.count - a.count;
    return shapeLess(a.shape, b.shape) ? 1 : shapeLess(b.shape, a.shape) ? -1 : 0;
  });
  const total = pods.names.length;
  // The reference takes an integer percentage: threshold × total / 100 with threshold in percent.
  const expected = (Math.round(threshold * 100) * total) / 100;
  const out: TypicalPod[] = [];
  let cum = 0;
  let i = 0;
  while (cum < expected && i < list.length) {
    cum += list[i].count;
    out.push({ ...list[i].shape, freq: list[i].count / total });
    i++;
  }
  if (i >= list.length) return out;
  for (const t of out) t.freq /= cum / total;
  return out;
}

/**
 * The node after the pod as GpuClusterPlacement-v0 (and FGD's scoring) places it: the CPU taken, and a pod
 * sharing one GPU takes `milli` from GPU `g`; other GPU pods take their GPUs from the first by index that fit
 * (only a 1-GPU pod may share a GPU, so these take fully free GPUs, and which ones does not change the
 * fragmentation). The result's GPUs are a copy in device order.
 */
export function nodeAfterPod(node: NodeShape, pod: PodShape, g = -1): NodeShape {
  const left = Array.from(node.gpuLeft);
  if (g >= 0) {
    left[g] -= pod.milli;
  } else if (pod.num > 0) {
    let need = pod.num;
    for (let k = 0; k < left.length && need > 0; k++) {
      if (left[k] >= pod.milli) {
        left[k] -= pod.milli;
        need--;
      }
    }
  }
  return { cpuLeft: node.cpuLeft - pod.cpu, gpuLeft: left, model: node.model };
}

/** True for a pod that shares one GPU (1 GPU, less than all of it). */
export function isSharingPod(pod: PodShape): boolean {
  return pod.num === 1 && pod.milli < 1000;
}

/**
 * FGD's "fragmentation after": the lowest fragment amount the node can have once the pod (which must fit)
 * is placed on it, over the GPUs that fit for a pod sharing one GPU (FGD picks that GPU), the placement of
 * `nodeAfterPod` otherwise. A pure function of the node, the pod and the typical pods; FGD's node score is
 * `fgdScore(nodeFragScore(node), fragAfterPod(node, pod))` (cluster.ts). `FragmentationCache` memoises it.
 */
export function fragAfterPod(node: NodeShape, pod: PodShape, typical: readonly TypicalPod[]): number {
  if (!isSharingPod(pod)) return nodeFragScore(nodeAfterPod(node, pod), typical);
  let best = Infinity;
  for (let g = 0; g < node.gpuLeft.length; g++) {
    if (node.gpuLeft[g] >= pod.milli) best = Math.min(best, nodeFragScore(nodeAfterPod(node, pod, g), typical));
  }
  return best;
}
