/**
 * The state view GpuClusterPlacement-v0 publishes as `info.placement` on reset and on every step, for the
 * placement heuristics (agents/heuristics/placement/), which score nodes on more than the observation, and
 * the env-level actions through which a policy asks the env for what the observation cannot give it.
 *
 * The view is data: a frozen snapshot of the state after the reset or step that returned it. The per-node
 * free resources, affinity counts and mask are copies (a later step does not change them, and writing to
 * them does not change the env); the node capacities, GPU counts and models, the episode's `tieRank` and
 * the workload's typical pods are shared and read-only. Nothing in it acts on the env or reaches back into
 * it: a policy computes what it needs from these fields (FGD's fragmentation with the pure functions of
 * fragmentation.ts, memoised by FragmentationCache) and hands the env the rest in its action.
 *
 * `tieRank` is the reference's tie-break order: its (forked) Kubernetes selectHost keeps, among the
 * best-scored nodes, the one with the smallest name, and the simulator prefixes node names with a random
 * permutation drawn from the run's seed; here the permutation is drawn from the env's seeded tie-break
 * stream at reset, and the lowest rank wins.
 */
import { SchedlabError } from '../../core/errors.js';
import type { Info } from '../core/env.js';
import type { GpuRule } from './cluster.js';
import type { PodShape, TypicalPod } from './fragmentation.js';
import { MAX_GPUS_PER_NODE, MILLI } from './trace.js';

export interface PendingPod extends PodShape {
  /** Memory (MiB). */
  readonly mem: number;
  /** Index of the pod's shape (cpu, GPU milli, GPU count, model constraint) in the workload's shape table. */
  readonly shapeId: number;
  /** True for a pod that shares one GPU (1 GPU, < 1000 milli). */
  readonly share: boolean;
}

export interface PlacementStateView {
  /** Nodes, = the action count. */
  readonly numNodes: number;
  readonly cpuLeft: Readonly<Float64Array>;
  readonly memLeft: Readonly<Float64Array>;
  /** Free milli of GPU g of node i at `i * 8 + g` (0 beyond the node's GPU count). */
  readonly gpuLeft: Readonly<Int32Array>;
  readonly gpuCount: Readonly<Int32Array>;
  /** GPU model index (GPU_MODELS), −1 for none. */
  readonly model: Readonly<Int32Array>;
  readonly cpuCapacity: Readonly<Float64Array>;
  /** Pods per GPU-affinity tag (0 = sharing pod, k = k whole GPUs) of node i at `i * 9 + tag`. */
  readonly affinity: Readonly<Int32Array>;
  /** Distinct affinity tags present on node i. */
  readonly affinityKinds: Readonly<Int32Array>;
  /** Tie-break rank of each node (a permutation of 0 … n − 1 drawn at reset): among equal scores the lowest rank wins. */
  readonly tieRank: Readonly<Int32Array>;
  /** 1 where the pending pod fits (the action mask). */
  readonly mask: Readonly<Uint8Array>;
  readonly validCount: number;
  /** The pod to place now. */
  readonly pod: PendingPod;
  /** The workload's typical pods, the basis of FGD's fragmentation (fragmentation.ts). */
  readonly typical: readonly TypicalPod[];
}

/**
 * GpuClusterPlacement-v0's env-level action that names the node and how the env picks the GPU of a pod that
 * shares one on it (`gpuRule`, honoured under `gpuSelect: 'policy'`; best-fit when absent, and always under
 * `'best'`). A plain node index is `{node}`.
 */
export interface PlacementNodeAction {
  readonly node: number;
  readonly gpuRule?: GpuRule;
}

/**
 * GpuClusterPlacement-v0's env-level action for a policy that breaks node ties at random: the env draws the
 * node uniformly among `candidates` (distinct nodes where the pod fits, in the order given) from its seeded
 * tie-break stream (one draw: ⌊u · candidates.length⌋), then picks the GPU by `gpuRule` as for
 * PlacementNodeAction. The reference's Random policy hands every node where the pod fits, by index.
 */
export interface PlacementDrawAction {
  readonly candidates: ArrayLike<number>;
  readonly gpuRule?: GpuRule;
}

/** Everything `step()` of GpuClusterPlacement-v0 accepts: a node index (the action space), or one of the two forms above. */
export type PlacementAction = number | PlacementNodeAction | PlacementDrawAction;

export const GPU_RULES: readonly GpuRule[] = ['best', 'random', 'fgd'];

/** What the env shares with every view of an episode (never written after reset). */
export interface StaticViewParts {
  gpuCount: Int32Array;
  model: Int32Array;
  cpuCapacity: Float64Array;
  tieRank: Int32Array;
  typical: readonly TypicalPod[];
}

/** What changes from decision to decision (copied into the view). */
export interface LiveViewParts {
  cpuLeft: Float64Array;
  memLeft: Float64Array;
  gpuLeft: Int32Array;
  affinity: Int32Array;
  affinityKinds: Int32Array;
  mask: Uint8Array;
  validCount: number;
  pod: PendingPod;
}

/** Builds the frozen view (called by the env): the live parts copied into one buffer, one allocation per view. */
export function makePlacementView(fixed: StaticViewParts, live: LiveViewParts): PlacementStateView {
  const n = fixed.gpuCount.length;
  const f64 = 2 * n;
  const i32 = live.gpuLeft.length + live.affinity.length + n;
  const buffer = new ArrayBuffer(f64 * 8 + i32 * 4 + n);
  const take64 = (offset: number, from: Float64Array) => {
    const out = new Float64Array(buffer, offset * 8, from.length);
    out.set(from);
    return out;
  };
  const take32 = (offset: number, from: Int32Array) => {
    const out = new Int32Array(buffer, f64 * 8 + offset * 4, from.length);
    out.set(from);
    return out;
  };
  const mask = new Uint8Array(buffer, f64 * 8 + i32 * 4, n);
  mask.set(live.mask);
  return Object.freeze({
    numNodes: n,
    cpuLeft: take64(0, live.cpuLeft),
    memLeft: take64(n, live.memLeft),
    gpuLeft: take32(0, live.gpuLeft),
    gpuCount: fixed.gpuCount,
    model: fixed.model,
    cpuCapacity: fixed.cpuCapacity,
    affinity: take32(live.gpuLeft.length, live.affinity),
    affinityKinds: take32(live.gpuLeft.length + live.affinity.length, live.affinityKinds),
    tieRank: fixed.tieRank,
    mask,
    validCount: live.validCount,
    pod: Object.freeze({ ...live.pod }),
    typical: fixed.typical,
  });
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
export function placementStateView(info: Info | undefined): PlacementStateView | undefined {
  const v = info?.placement as PlacementStateView | undefined;
  return v && typeof v === 'object' && v.tieRank instanceof Int32Array && v.gpuLeft instanceof Int32Array ? v : undefined;
}

/** Reads the view from a GpuClusterPlacement-v0 info; `who` names the reader in the error. */
export function readPlacementView(info: Info | undefined, who: string): PlacementStateView {
  const view = placementStateView(info);
  if (!view)
    throw new SchedlabError(
      `agent '${who}' needs the info of the last reset/step of GpuClusterPlacement-v0 (info.placement): pass act(observation, {info})`,
    );
  return view;
}
