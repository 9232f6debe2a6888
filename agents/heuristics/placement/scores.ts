/**
 * The node scores of the six policies of the FGD paper, re-implemented from the reference's score plugins
 * (hkust-adsl/kubernetes-scheduler-simulator 8f3d641, pkg/simulator/plugin/): integer scores in [0, 100] with
 * the reference's integer arithmetic and truncations, so ties fall where the reference's fall.
 */
import { AFFINITY_TAGS, affinityTag, fgdScore } from '../../../envs/placement/cluster.js';
import { fullyFreeGpus, gpuLeftTotal, type PlacementStateView } from '../../../envs/placement/state-view.js';
import type { ViewFragmentation } from './view-fragmentation.js';

const MAX_SPEC_CPU = 128000;
const MAX_SPEC_GPU = 8000;
const MILLI = 1000;
const MAX_SCORE = 100;

/**
 * DotProductScore with dimExtMethod 'merge' and normMethod 'max' (Tetris): node free (CPU, total GPU milli)
 * and pod request (CPU, GPU milli × count), each divided by the largest node spec (128 CPUs, 8 GPUs); score
 * = ⌊100 · (1 − dot / 2)⌋, so the node whose free resources align least with the pod... scores highest.
 */
export function dotProductScore(view: PlacementStateView, i: number): number {
  const pod = view.pod;
  if (view.cpuLeft[i] < pod.cpu) return 0;
  const node0 = view.cpuLeft[i] / MAX_SPEC_CPU;
  const node1 = gpuLeftTotal(view, i) / MAX_SPEC_GPU;
  const pod0 = pod.cpu / MAX_SPEC_CPU;
  const pod1 = (pod.milli * pod.num) / MAX_SPEC_GPU;
  let s = node0 * pod0 + node1 * pod1;
  s /= 2;
  s = 1 - s;
  return Math.trunc(MAX_SCORE * s);
}

/**
 * GpuClusteringScore: a GPU pod prefers nodes already running pods of its own GPU-affinity tag (sharing, or
 * k whole GPUs): (75, 100] when that is the node's only tag, (50, 75] among others, (25, 50] for a node with
 * no GPU pod, [0, 25] for nodes of other tags, each band by the node's used GPU milli; 0 for a CPU pod.
 */
export function gpuClusteringScore(view: PlacementStateView, i: number): number {
  const pod = view.pod;
  const tag = affinityTag(pod.num, pod.milli);
  if (tag < 0) return 0;
  const used = Math.trunc((25 * (MAX_SPEC_GPU - gpuLeftTotal(view, i))) / MAX_SPEC_GPU);
  const kinds = view.affinityKinds[i];
  if (view.affinity[i * AFFINITY_TAGS + tag] > 0) return kinds === 1 ? used + 75 : used + 50;
  return kinds === 0 ? used + 25 : used;
}

/**
 * GpuPackingScore: prefer GPUs already in use: a pod that fits on partly used GPUs scores
 * max(100 − Σ ⌊free·100/1000⌋ / 10, 50) over the GPUs it would take (least free first); one that needs fully
 * free GPUs of a used node max(50 − their count, 33); a node with every GPU free max(33 − free GPUs, free
 * GPUs); a CPU pod 0.
 */
export function gpuPackingScore(view: PlacementStateView, i: number): number {
  const pod = view.pod;
  if (pod.milli <= 0) return 0;
  const count = view.gpuCount[i];
  const free = fullyFreeGpus(view, i);
  if (free === count) return Math.max(Math.trunc(MAX_SCORE / 3) - free, free);
  const base = i * 8;
  // The GPUs in ascending order of free milli (stable), the first `num` that fit are the ones used.
  const order = Array.from({ length: count }, (_, k) => k).sort((a, b) => view.gpuLeft[base + a] - view.gpuLeft[base + b] || a - b);
  let need = pod.num;
  let fullyFreeToUse = 0;
  let ratio = 0;
  for (const k of order) {
    if (need === 0) break;
    const left = view.gpuLeft[base + k];
    if (pod.milli <= left) {
      need--;
      if (left === MILLI) fullyFreeToUse++;
      ratio += Math.trunc((left * 100) / MILLI);
    }
  }
  if (need !== 0) return 0;
  if (fullyFreeToUse > 0) return Math.max(MAX_SCORE / 2 - fullyFreeToUse, Math.trunc(MAX_SCORE / 3));
  return Math.max(MAX_SCORE - Math.trunc(ratio / 10), MAX_SCORE / 2);
}

/**
 * BestFitScore: ⌊100 · (1 − ½ (free CPU − CPU)/128 CPUs − ½ (free GPU milli − GPU milli)/8 GPUs)⌋, the
 * tightest node highest (the reference's min-max normalisation over the nodes keeps the order and the ties).
 */
export function bestFitScore(view: PlacementStateView, i: number): number {
  const pod = view.pod;
  let s = 0;
  s += ((view.cpuLeft[i] - pod.cpu) / MAX_SPEC_CPU) * 0.5;
  s += ((gpuLeftTotal(view, i) - pod.milli * pod.num) / MAX_SPEC_GPU) * 0.5;
  return Math.trunc((1 - s) * MAX_SCORE);
}

/**
 * FGDScore: ⌊100 · sigmoid((frag now − frag after) / 1000)⌋, frag after at the pod's best GPU for a sharing
 * pod; the fragmentation from the view's data (`frag` synced to `view`).
 */
export function fgdNodeScore(view: PlacementStateView, i: number, frag: ViewFragmentation): number {
  return fgdScore(frag.nodeFrag(i), frag.fragAfter(view, i));
}
