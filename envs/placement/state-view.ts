/**
 * The state view GpuClusterPlacement-v0 publishes as `info.placement` on reset and on every step, for the
 * placement heuristics (agents/heuristics/placement/), which score nodes on more than the observation.
 *
 * The arrays are the env's live state, valid until the next `step` or `reset` (copying 1,213 nodes × 8 GPUs
 * on every decision would cost more than most policies do): read them, never write them. `tieRank` is the
 * reference's tie-break order: its (forked) Kubernetes selectHost keeps, among the best-scored nodes, the one
 * with the smallest name, and the simulator prefixes node names with a random permutation drawn from the
 * run's seed; here the permutation is drawn from the env's seeded RNG at reset, and the lowest rank wins.
 *
 * The view is plain data (so env checkers compare it field by field and a structured clone, as a parallel
 * vector env makes, keeps it). The functions below reach back into the env that published it, as the
 * reference's scheduler plugins reach into the scheduler: `nodeFrag` / `fragAfter` read FGD's cached
 * fragmentation, `viewRandom` draws from the env's seeded stream (the Random policy's node and GPU draws),
 * and `useGpuRule` tells the env how the acting policy picks the GPU of a pod that shares one (honoured under
 * `gpuSelect: 'policy'`; under `'best'` the env always picks best-fit). On a cloned view they throw.
 */
import { SchedlabError } from '../../core/errors.js';
import type { ClusterModel, GpuRule } from './cluster.js';
import type { PodShape } from './fragmentation.js';
import { MAX_GPUS_PER_NODE, MILLI } from './trace.js';

export interface PendingPod extends PodShape {
  /** Memory (MiB). */
  mem: number;
  /** Index of the pod's shape (cpu, GPU milli, GPU count, model constraint) in the workload's shape table. */
  shapeId: number;
  /** True for a pod that shares one GPU (1 GPU, < 1000 milli). */
  share: boolean;
}

export interface PlacementStateView {
  /** Nodes, = the action count. */
  numNodes: number;
  cpuLeft: Float64Array;
  memLeft: Float64Array;
  /** Free milli of GPU g of node i at `i * 8 + g`. */
  gpuLeft: Int32Array;
  gpuCount: Int32Array;
  /** GPU model index (GPU_MODELS), −1 for none. */
  model: Int32Array;
  cpuCapacity: Float64Array;
  /** Pods per GPU-affinity tag (0 = sharing pod, k = k whole GPUs) of node i at `i * 9 + tag`. */
  affinity: Int32Array;
  /** Distinct affinity tags present on node i. */
  affinityKinds: Int32Array;
  /** Tie-break rank of each node (a permutation of 0 … n − 1 drawn at reset): among equal scores the lowest rank wins. */
  tieRank: Int32Array;
  /** 1 where the pending pod fits (the action mask). */
  mask: Uint8Array;
  validCount: number;
  /** The pod to place now. */
  pod: PendingPod;
}

interface Hooks {
  model: ClusterModel;
  random: () => number;
  setRule: (rule: GpuRule) => void;
}

const hooks = new WeakMap<PlacementStateView, Hooks>();

/** Builds the view of the env's state (called by the env). */
export function makePlacementView(
  model: ClusterModel,
  pod: PendingPod,
  mask: Uint8Array,
  validCount: number,
  tieRank: Int32Array,
  random: () => number,
  setRule: (rule: GpuRule) => void,
): PlacementStateView {
  const view: PlacementStateView = {
    numNodes: model.n,
    cpuLeft: model.cpuLeft,
    memLeft: model.memLeft,
    gpuLeft: model.gpuLeft,
    gpuCount: model.gpuCount,
    model: model.model,
    cpuCapacity: model.cpuCapacity,
    affinity: model.affinity,
    affinityKinds: model.affinityKinds,
    tieRank,
    mask,
    validCount,
    pod,
  };
  hooks.set(view, { model, random, setRule });
  return view;
}

function hooksOf(view: PlacementStateView): Hooks {
  const h = hooks.get(view);
  if (!h)
    throw new SchedlabError(
      'this placement state view was not published by a GpuClusterPlacement-v0 in this thread (a copy of info.placement): read its data only',
    );
  return h;
}

/** FGD's fragment amount of node i now (GPU milli). */
export function nodeFrag(view: PlacementStateView, i: number): number {
  return hooksOf(view).model.nodeFrag(i);
}

/** The lowest fragment amount node i can have after the pending pod is placed on it (the pod must fit). */
export function fragAfter(view: PlacementStateView, i: number): number {
  return hooksOf(view).model.fragAfter(i, view.pod, view.pod.shapeId);
}

/** Uniform in [0, 1) from the env's seeded stream (the generator of the tie-break order). */
export function viewRandom(view: PlacementStateView): number {
  return hooksOf(view).random();
}

/** How the acting policy picks a sharing pod's GPU on the node it chooses (for this decision). */
export function useGpuRule(view: PlacementStateView, rule: GpuRule): void {
  hooksOf(view).setRule(rule);
}

/** Total free GPU milli of node i. */
export function gpuLeftTotal(view: PlacementStateView, i: number): number {
  const base = i * MAX_GPUS_PER_NODE;
  let s = 0;
  for (let g = 0; g < view.gpuCount[i]; g++) s += view.gpuLeft[base + g];
  return s;
}

/** Fully free GPUs of node i. */
export function fullyFreeGpus(view: PlacementStateView, i: number): number {
  const base = i * MAX_GPUS_PER_NODE;
  let c = 0;
  for (let g = 0; g < view.gpuCount[i]; g++) if (view.gpuLeft[base + g] === MILLI) c++;
  return c;
}

/** The view in `info`, or undefined when `info` holds none. */
export function placementStateView(info: { [key: string]: unknown } | undefined): PlacementStateView | undefined {
  const v = info?.placement as PlacementStateView | undefined;
  return v && v.tieRank instanceof Int32Array && v.gpuLeft instanceof Int32Array ? v : undefined;
}
