/**
 * GpuClusterPlacement-v0: bind pods, one at a time as they arrive, to the nodes of a heterogeneous GPU
 * cluster, where a pod needs CPU, memory and either whole GPUs or a share of one; pods never leave, and a
 * pod that fits nowhere is dropped. The model of FGD (Weng et al., "Beware of Fragmentation: Scheduling
 * GPU-Sharing Workloads with Fragmentation Gradient Descent", USENIX ATC 2023) on Alibaba's 2023 GPU cluster
 * trace ("openb": 1,213 nodes, 6,212 GPUs), re-implemented from its simulator
 * (hkust-adsl/kubernetes-scheduler-simulator 8f3d641; Apache-2.0) so that an episode takes seconds, not the
 * simulator's ten minutes.
 *
 * ## Description
 * At reset the episode's pod sequence is drawn as the published runs drew it (`--shuffle-pod=true`,
 * `-tune 1.3`): the workload's pods in name order, shuffled, then inflated by appending pods sampled
 * uniformly with replacement from the workload until the next one would push the total GPU request above
 * `tune` × the cluster's GPU milli (the reference's TunePodsByNodeTotalResource: it tests the next pod's
 * per-GPU milli and adds its total; a workload above the target is thinned by removing pods at random).
 * Pods then arrive in that order. A pod fits a node when the node has the CPU and memory it requests and,
 * for a GPU pod, a GPU model the pod accepts and `num_gpu` GPUs with `gpu_milli` free each (a whole-GPU pod
 * takes fully free GPUs). The agent picks the node; the GPU is picked on the node: whole-GPU pods take the
 * first fully free GPUs by index; a pod sharing one GPU takes the GPU picked by the rule the action names
 * under `gpuSelect: 'policy'` (see Actions; best-fit for a plain node index) or the least free GPU that
 * fits under `'best'`. Pods that fit no node are dropped and counted without asking the agent.
 *
 * ## Observation
 * Box(float32, [nodes, 24]) in [0, 1]: one row per node, the node's then the pending pod's features, so a
 * per-item network can score every node on its own row: free CPU / the largest node CPU, free memory / the
 * largest node memory, free milli of GPUs 0–7 / 1000 (0 past the node's GPU count), the GPU model one-hot
 * (A10, G1, G2, G3, P100, T4, V100M16, V100M32; all 0 for a node without GPUs), the node's FGD fragment
 * amount / 8000; then the pod's CPU and memory on the same scales, GPU count / 8, GPU milli per GPU / 1000,
 * and 1 when the pod's GPU-model constraint admits this node.
 *
 * ## Actions
 * Discrete(nodes): the node to bind the pending pod to. `info.actionMask` (and `actionMasks()`) marks the
 * nodes where it fits; a masked action is an InvalidActionError. A sharing pod's GPU is then best-fit.
 * Env-level actions, outside the action space, for policies that need more than a node index (the FGD
 * paper's heuristics; types in state-view.ts), each an InvalidActionError when malformed:
 * - `{node, gpuRule}` (PlacementNodeAction): the node, and how a sharing pod's GPU is picked on it under
 *   `gpuSelect: 'policy'`: `'best'` the least free GPU that fits (first by index on ties), `'random'` a
 *   uniform one among those that fit (drawn from the tie-break stream), `'fgd'` the one whose FGD score is
 *   highest (first by index on ties of the integer score). Absent: `'best'`.
 * - `{candidates, gpuRule}` (PlacementDrawAction): distinct nodes where the pod fits; the env draws one
 *   uniformly from its tie-break stream (one draw, ⌊u · length⌋ in the given order), then as above. The
 *   reference's Random policy breaks its node choice this way, so the draws stay the env's and seeded.
 * The tie-break stream is a generator seeded from `npRandom` at reset; it also draws the node tie-break
 * order `tieRank` of the state view.
 *
 * ## Reward
 * `allocation`: the GPU milli the pod was given / the cluster's GPU milli, so an episode's return is the final
 * GPU allocation ratio (a fraction). `frag`: plus the decrease of the chosen node's FGD fragment amount over
 * the cluster's GPU milli (FGD's objective as a shaping term).
 *
 * ## Episode end
 * Terminated when the last pod has arrived (placed or dropped). `info.metrics` then holds `gpu_allocation`
 * (the GPU allocation ratio in %), `gpu_allocation_<x>` for x = 10, 20, …, 130 (the ratio when x % of the
 * cluster's GPU milli has arrived, computed as the reference's analysis does: the mean over the arrivals
 * whose arrived share rounds to x %, or to x ± 1 % when none does; absent when the episode never gets
 * there), `arrived_gpu` (% arrived at the end), `frag_ratio` (% of the idle GPU milli that is fragment) and
 * `frag_amount` (fragment GPU milli), `pods`, `placed_pods`, `failed_pods` and `failed_pods_<class>` (cpu,
 * share, 1gpu, 2gpu, 4gpu, 8gpu, other), `decisions`, and with `timing: true` `decision_time_ms` (the mean
 * wall time the agent took per decision: a clock reading, so off by default to keep records reproducible).
 *
 * ## Starting state
 * Every node empty.
 *
 * ## State view
 * `info.placement` on reset and every step while a pod is pending (PlacementStateView, state-view.ts), a
 * frozen snapshot of data: per node the free CPU, memory and GPU milli, GPU count and model, CPU capacity,
 * pods per GPU-affinity tag, the tie-break rank; the mask; the pending pod; the workload's typical pods
 * (the basis of FGD's fragmentation, which a policy computes with envs/placement/fragmentation.ts).
 *
 * ## Options (defaults)
 * - `nodes` ('openb-gpu'): the bundled node list or the path of a node CSV (trace.ts).
 * - `workload` ('default'): 'default', one of the 16 variants (cpu050 … multigpu50) or the path of a pod CSV.
 * - `tune` (1.3): the arrived GPU request as a multiple of the cluster's GPU capacity; > 0.
 * - `typicalPodsThreshold` (0.95): the popularity cut of the typical pods of the fragmentation measure, in (0, 1].
 * - `gpuSelect` ('policy' | 'best').
 * - `reward` ('allocation' | 'frag').
 * - `observation` ('nodes').
 * - `shufflePods` (true): shuffle the workload before inflating it, as the published runs; false keeps the
 *   file's order.
 * - `timing` (false): add `decision_time_ms` to the metrics.
 *
 * ## Version history
 * - v0 (schedlab 0.1): first version. The state view became data (a frozen snapshot; no functions reaching
 *   into the env) and the env-level actions `{node, gpuRule}` and `{candidates, gpuRule}` replaced the
 *   view's hooks (`useGpuRule`, `viewRandom`, `nodeFrag`, `fragAfter`), with the same draws: trajectories
 *   and metrics unchanged.
 */
import { performance } from 'node:perf_hooks';
import { InvalidActionError, OptionError, ResetNeededError, SchedlabError } from '../../core/errors.js';
import { opt, OptionProblem, parseOptions, type OptionValues } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import { Box } from '../core/spaces/box.js';
import { Discrete } from '../core/spaces/discrete.js';
import { ClusterModel, type GpuRule } from './cluster.js';
import { isAccessible, shapeKey, typicalPods, type PodShape, type TypicalPod } from './fragmentation.js';
import { GPU_RULES, makePlacementView, type PendingPod, type PlacementAction, type StaticViewParts } from './state-view.js';
import {
  GPU_MODELS,
  loadNodes,
  loadPods,
  MAX_GPUS_PER_NODE,
  MILLI,
  NODES_ACCEPTED,
  resolveNodes,
  resolveWorkload,
  WORKLOAD_ACCEPTED,
  type NodeList,
  type PodList,
} from './trace.js';

export const ID = 'GpuClusterPlacement-v0';
/** Features per node row of the observation. */
export const NODE_FEATURES = 2 + MAX_GPUS_PER_NODE + GPU_MODELS.length + 1;
export const POD_FEATURES = 5;
export const ROW_FEATURES = NODE_FEATURES + POD_FEATURES;
/** The arrived shares (%) reported as gpu_allocation_<x>. */
export const REPORT_POINTS = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130];
export const FAILED_CLASSES = ['cpu', 'share', '1gpu', '2gpu', '4gpu', '8gpu', 'other'] as const;
const ACTIONS_ACCEPTED = 'a node index where the pod fits (info.actionMask), {node, gpuRule?} or {candidates, gpuRule?}';

export const gpuPlacementOptions = {
  nodes: opt.custom<string>('openb-gpu', NODES_ACCEPTED, (v) => {
    if (typeof v !== 'string' || v === '') throw new OptionProblem(`must be a name or a path, got ${JSON.stringify(v)}`);
    return v;
  }),
  workload: opt.custom<string>('default', WORKLOAD_ACCEPTED, (v) => {
    if (typeof v !== 'string' || v === '') throw new OptionProblem(`must be a name or a path, got ${JSON.stringify(v)}`);
    return v;
  }),
  tune: opt.number(1.3, { min: 0, minExclusive: true }),
  typicalPodsThreshold: opt.number(0.95, { min: 0, max: 1, minExclusive: true }),
  gpuSelect: opt.oneOf('policy', ['policy', 'best'] as const),
  reward: opt.oneOf('allocation', ['allocation', 'frag'] as const),
  observation: opt.oneOf('nodes', ['nodes'] as const),
  shufflePods: opt.bool(true),
  timing: opt.bool(false),
};

export type GpuPlacementOptions = OptionValues<typeof gpuPlacementOptions>;

/** A workload prepared once per file and threshold: name order, shapes, typical pods. */
interface PreparedWorkload {
  pods: PodList;
  /** Pod indices in name order (the reference sorts by name before shuffling and sampling). */
  byName: Int32Array;
  shapeOf: Int32Array;
  shapes: PodShape[];
  typical: TypicalPod[];
  /** Σ over pods of num_gpu × gpu_milli. */
  totalGpuMilli: number;
}

const prepared = new Map<string, PreparedWorkload>();

function prepare(path: string, threshold: number): PreparedWorkload {
  const key = `${threshold}:${path}`;
  const hit = prepared.get(key);
  if (hit) return hit;
  const pods = loadPods(path);
  const n = pods.names.length;
  const byName = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    pods.names[a] < pods.names[b] ? -1 : pods.names[a] > pods.names[b] ? 1 : a - b,
  );
  const shapeIndex = new Map<string, number>();
  const shapes: PodShape[] = [];
  const shapeOf = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s: PodShape = {
      cpu: pods.cpuMilli[i],
      milli: pods.gpuMilli[i],
      num: pods.numGpu[i],
      spec: pods.gpuSpec[i],
      specMask: pods.gpuSpecMask[i],
    };
    const k = shapeKey(s);
    let id = shapeIndex.get(k);
    if (id === undefined) {
      id = shapes.length;
      shapes.push(s);
      shapeIndex.set(k, id);
    }
    shapeOf[i] = id;
    total += s.num * s.milli;
  }
  const out: PreparedWorkload = { pods, byName, shapeOf, shapes, typical: typicalPods(pods, threshold), totalGpuMilli: total };
  prepared.set(key, out);
  return out;
}

function failedClass(num: number, milli: number): number {
  if (num === 0) return 0;
  if (num === 1) return milli < MILLI ? 1 : 2;
  if (num === 2) return 3;
  if (num === 4) return 4;
  if (num === 8) return 5;
  return 6;
}

/** Python's round(x) (half to even), as the reference's analysis rounds the arrived share. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * The reference's discrete allocation curve (merge_alloc_discrete.py): the allocation ratio (%, rounded to
 * 0.01) when `x` % of the capacity has arrived; NaN when no arrival is within 1 % of x.
 */
export function allocationAt(arrived: Float64Array, allocated: Float64Array, count: number, totalMilli: number, x: number): number {
  let sum = 0;
  let k = 0;
  for (let pass = 0; pass < 2 && k === 0; pass++) {
    for (let i = 0; i < count; i++) {
      const a = roundHalfEven((arrived[i] / totalMilli) * 100);
      if (pass === 0 ? a === x : a >= x - 1 && a <= x + 1) {
        sum += Math.round((allocated[i] / totalMilli) * 100 * 100) / 100;
        k++;
      }
    }
  }
  return k === 0 ? NaN : Math.round((sum / k) * 100) / 100;
}

export class GpuClusterPlacementEnv extends Env<Float32Array, number> {
  readonly observationSpace: Box<Float32Array>;
  readonly actionSpace: Discrete;
  readonly options: GpuPlacementOptions;
  readonly nodes: NodeList;
  readonly cluster: ClusterModel;
  readonly workload: PreparedWorkload;
  private readonly cpuScale: number;
  private readonly memScale: number;
  /** The observation, its node columns kept up to date node by node. */
  private readonly obsBuffer: Float32Array;
  private readonly mask: Uint8Array;
  private readonly admits = new Float32Array(GPU_MODELS.length + 1);
  /** Marks of a draw action's candidates (duplicates check). */
  private readonly seen: Uint8Array;

  // Episode state.
  private sequence: Int32Array = new Int32Array(0);
  private cursor = 0;
  private validCount = 0;
  private active = false;
  private tieRng = new Rng(0);
  /** What every view of the episode shares (a new tieRank per episode, so an old view keeps its own). */
  private viewParts: StaticViewParts;
  private pod: PendingPod | null = null;
  private arrivedMilli = 0;
  private arrivedAt = new Float64Array(0);
  private allocatedAt = new Float64Array(0);
  private arrivals = 0;
  private decisions = 0;
  private placed = 0;
  private failed = new Int32Array(FAILED_CLASSES.length);
  /** Per pod shape: the least memory with which it fit nowhere this episode (Infinity: not seen failing). */
  private fitsNowhereFrom = new Float64Array(0);
  private decisionTime = 0;
  private shownAt = 0;

  constructor(options: Record<string, unknown> = {}) {
    super();
    const o = parseOptions(ID, options, gpuPlacementOptions);
    this.options = o;
    this.nodes = loadNodes(resolveNodes(o.nodes));
    this.workload = prepare(resolveWorkload(o.workload), o.typicalPodsThreshold);
    this.cluster = new ClusterModel(this.nodes, this.workload.typical);
    if (this.cluster.totalGpuMilli === 0)
      throw new OptionError('nodes', `'${o.nodes}' has no GPU`, 'a node list with at least one GPU', ID);
    const n = this.nodes.names.length;
    this.cpuScale = Math.max(...this.nodes.cpuMilli);
    this.memScale = Math.max(1, ...this.nodes.memoryMib);
    this.observationSpace = new Box(0, 1, [n, ROW_FEATURES], 'float32');
    this.actionSpace = new Discrete(n);
    this.obsBuffer = new Float32Array(n * ROW_FEATURES);
    this.mask = new Uint8Array(n);
    this.seen = new Uint8Array(n);
    const c = this.cluster;
    this.viewParts = {
      gpuCount: c.gpuCount,
      model: c.model,
      cpuCapacity: c.cpuCapacity,
      tieRank: Int32Array.from({ length: n }, (_, i) => i),
      typical: Object.freeze(this.workload.typical.map((t) => Object.freeze({ ...t }))),
    };
    this.metadata = { renderModes: ['ansi'], renderFps: 4 };
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    for (const key of Object.keys(args.options ?? {})) {
      throw new OptionError(key, 'is not a reset option', 'no reset options (set env options at make time)', `${ID} reset`);
    }
    const rng = this.npRandom;
    // The tie-break stream is drawn first, so the pod sequence of a seed is the same prefix whatever `tune`.
    this.tieRng = new Rng(rng.nextSeed());
    // The reference names node i (in name order) "%04d-<name>" with a random permutation and keeps the
    // smallest name among equally scored nodes: a random rank per node, lowest wins.
    const order = this.tieRng.shuffle(Array.from({ length: this.cluster.n }, (_, i) => i));
    this.viewParts = { ...this.viewParts, tieRank: Int32Array.from(order) };
    this.sequence = this.drawSequence(rng);
    this.cluster.reset();
    for (let i = 0; i < this.cluster.n; i++) this.writeNodeRow(i);
    const len = this.sequence.length;
    this.arrivedAt = new Float64Array(len);
    this.allocatedAt = new Float64Array(len);
    this.cursor = 0;
    this.arrivals = 0;
    this.arrivedMilli = 0;
    this.decisions = 0;
    this.placed = 0;
    this.failed.fill(0);
    this.fitsNowhereFrom = new Float64Array(this.workload.shapes.length).fill(Infinity);
    this.decisionTime = 0;
    this.active = true;
    this.advance();
    if (!this.active)
      throw new SchedlabError(
        `${ID}: no pod of workload '${this.options.workload}' fits any node of '${this.options.nodes}', so the episode has no decision`,
      );
    this.shownAt = this.options.timing ? performance.now() : 0;
    return { observation: this.observe(), info: this.info() };
  }

  /** The reference's pod order: name order, shuffled, then inflated (or thinned) to `tune` × capacity. */
  private drawSequence(rng: Rng): Int32Array {
    const w = this.workload;
    const base = Array.from(w.byName);
    if (this.options.shufflePods) rng.shuffle(base);
    const target = this.options.tune * this.cluster.totalGpuMilli;
    let total = w.totalGpuMilli;
    const p = w.pods;
    if (total > target) {
      while (total > target && base.length > 0) {
        const idx = rng.integers(0, base.length);
        total -= p.numGpu[base[idx]] * p.gpuMilli[base[idx]];
        base.splice(idx, 1);
      }
    } else if (total < target) {
      if (w.totalGpuMilli === 0)
        throw new OptionError(
          'workload',
          `'${this.options.workload}' requests no GPU, so it cannot be inflated to tune × the GPU capacity`,
          'a workload with at least one GPU pod',
          ID,
        );
      const n = w.byName.length;
      for (;;) {
        const pick = w.byName[rng.integers(0, n)];
        if (total + p.gpuMilli[pick] > target) break;
        total += p.numGpu[pick] * p.gpuMilli[pick];
        base.push(pick);
      }
    }
    if (base.length === 0) throw new OptionError('tune', `is ${this.options.tune}: it leaves no pod of the workload`, 'a larger tune', ID);
    return Int32Array.from(base);
  }

  private writeNodeRow(i: number): void {
    const c = this.cluster;
    const r = i * ROW_FEATURES;
    const rows = this.obsBuffer;
    rows[r] = c.cpuLeft[i] / this.cpuScale;
    rows[r + 1] = c.memLeft[i] / this.memScale;
    const g0 = i * MAX_GPUS_PER_NODE;
    for (let g = 0; g < MAX_GPUS_PER_NODE; g++) rows[r + 2 + g] = c.gpuLeft[g0 + g] / MILLI;
    const m0 = r + 2 + MAX_GPUS_PER_NODE;
    for (let m = 0; m < GPU_MODELS.length; m++) rows[m0 + m] = c.model[i] === m ? 1 : 0;
    rows[m0 + GPU_MODELS.length] = c.nodeFrag(i) / (MAX_GPUS_PER_NODE * MILLI);
  }

  /**
   * Drops the pods that fit nowhere until one fits (active) or the sequence ends (inactive). Free resources
   * only shrink (pods never leave), so a shape that fit nowhere with some memory fits nowhere for the rest
   * of the episode with as much or more: such pods are dropped without scanning the nodes.
   */
  private advance(): void {
    const w = this.workload;
    const p = w.pods;
    let maskStale = false;
    while (this.cursor < this.sequence.length) {
      const k = this.sequence[this.cursor];
      const id = w.shapeOf[k];
      const shape = w.shapes[id];
      const mem = p.memoryMib[k];
      if (mem >= this.fitsNowhereFrom[id]) {
        maskStale = true;
      } else {
        this.validCount = this.cluster.fillMask(this.mask, shape.cpu, mem, shape.num, shape.milli, shape.specMask);
        maskStale = false;
        if (this.validCount > 0) {
          this.pod = { ...shape, mem, shapeId: id, share: shape.num === 1 && shape.milli < MILLI };
          return;
        }
        this.fitsNowhereFrom[id] = mem;
      }
      this.failed[failedClass(shape.num, shape.milli)]++;
      this.recordArrival(shape.num * shape.milli);
      this.cursor++;
    }
    // As if the skipped pods had been tested: the mask of a pod that fits nowhere.
    if (maskStale) {
      this.mask.fill(0);
      this.validCount = 0;
    }
    this.pod = null;
    this.active = false;
  }

  private recordArrival(milli: number): void {
    this.arrivedMilli += milli;
    this.arrivedAt[this.arrivals] = this.arrivedMilli;
    this.allocatedAt[this.arrivals] = this.cluster.allocatedGpuMilli;
    this.arrivals++;
  }

  /** The observation: the node rows kept up to date node by node, the pod's columns rewritten per pod. */
  private observe(): Float32Array {
    const n = this.cluster.n;
    const obs = this.obsBuffer;
    const pod = this.pod;
    const cpu = pod ? pod.cpu / this.cpuScale : 0;
    const mem = pod ? pod.mem / this.memScale : 0;
    const num = pod ? pod.num / MAX_GPUS_PER_NODE : 0;
    const milli = pod ? pod.milli / MILLI : 0;
    const spec = pod ? (pod.num === 0 ? 0 : pod.specMask) : -1;
    // Admission per GPU model (index m + 1; 0 for a node without GPUs).
    const admits = this.admits;
    for (let m = -1; m < GPU_MODELS.length; m++) admits[m + 1] = spec === 0 ? 1 : spec > 0 && isAccessible(m, spec) ? 1 : 0;
    const model = this.cluster.model;
    for (let i = 0, q = NODE_FEATURES; i < n; i++, q += ROW_FEATURES) {
      obs[q] = cpu;
      obs[q + 1] = mem;
      obs[q + 2] = num;
      obs[q + 3] = milli;
      obs[q + 4] = admits[model[i] + 1];
    }
    return obs.slice();
  }

  private info(): Info {
    const mask = this.mask.slice();
    if (!this.pod) return { actionMask: mask };
    const c = this.cluster;
    const view = makePlacementView(this.viewParts, {
      cpuLeft: c.cpuLeft,
      memLeft: c.memLeft,
      gpuLeft: c.gpuLeft,
      affinity: c.affinity,
      affinityKinds: c.affinityKinds,
      mask,
      validCount: this.validCount,
      pod: this.pod,
    });
    return { actionMask: mask, placement: view };
  }

  /** `action`: a node index (the action space), `{node, gpuRule}` or `{candidates, gpuRule}` (see Actions). */
  step(action: PlacementAction): StepResult<Float32Array> {
    if (!this.active || !this.pod) throw new ResetNeededError(`${ID}: step() after the episode ended (or before reset()); call reset()`);
    const { node, gpuRule } = this.resolveAction(action);
    if (this.options.timing) this.decisionTime += performance.now() - this.shownAt;
    const pod = this.pod;
    const rule: GpuRule = this.options.gpuSelect === 'best' ? 'best' : gpuRule;
    const gpus = this.cluster.selectGpus(node, pod, rule, () => this.tieRng.random());
    const fragBefore = this.cluster.nodeFrag(node);
    const milli = this.cluster.place(node, pod, pod.mem, gpus);
    this.writeNodeRow(node);
    const total = this.cluster.totalGpuMilli;
    let reward = milli / total;
    if (this.options.reward === 'frag') reward += (fragBefore - this.cluster.nodeFrag(node)) / total;
    this.placed++;
    this.decisions++;
    this.recordArrival(pod.num * pod.milli);
    this.cursor++;
    this.advance();
    const terminated = !this.active;
    const info = this.info();
    if (terminated) info.metrics = this.metrics();
    const observation = this.observe();
    if (this.options.timing) this.shownAt = performance.now();
    return { observation, reward, terminated, truncated: false, info };
  }

  /**
   * The node and GPU rule of an action; a draw action draws its node from the tie-break stream (after
   * every check, so a rejected action draws nothing).
   */
  private resolveAction(action: PlacementAction): { node: number; gpuRule: GpuRule } {
    if (typeof action === 'number') return { node: this.checkNode(action, 'action'), gpuRule: 'best' };
    if (typeof action !== 'object' || action === null)
      throw new InvalidActionError(`${ID}: action ${JSON.stringify(action)} is not an action; accepted: ${ACTIONS_ACCEPTED}`);
    const gpuRule = action.gpuRule ?? 'best';
    if (!GPU_RULES.includes(gpuRule))
      throw new InvalidActionError(
        `${ID}: action.gpuRule ${JSON.stringify(action.gpuRule)} is not a GPU rule; accepted: ${GPU_RULES.map((r) => `'${r}'`).join(' | ')}`,
      );
    if ('node' in action) return { node: this.checkNode(action.node, 'action.node'), gpuRule };
    if (!('candidates' in action))
      throw new InvalidActionError(
        `${ID}: action ${JSON.stringify(action)} has neither 'node' nor 'candidates'; accepted: ${ACTIONS_ACCEPTED}`,
      );
    const list = action.candidates;
    if (list === null || typeof list !== 'object' || typeof list.length !== 'number' || list.length === 0)
      throw new InvalidActionError(
        `${ID}: action.candidates is ${JSON.stringify(list)}; accepted: a non-empty array of distinct nodes where the pod fits`,
      );
    for (let k = 0; k < list.length; k++) this.checkNode(list[k], `action.candidates[${k}]`);
    const seen = this.seen;
    let duplicate = -1;
    for (let k = 0; k < list.length; k++) {
      if (seen[list[k]]) duplicate = list[k];
      seen[list[k]] = 1;
    }
    for (let k = 0; k < list.length; k++) seen[list[k]] = 0;
    if (duplicate >= 0)
      throw new InvalidActionError(`${ID}: action.candidates lists node ${duplicate} twice; accepted: distinct nodes where the pod fits`);
    return { node: list[Math.floor(this.tieRng.random() * list.length)], gpuRule };
  }

  /** `value` as a node where the pending pod fits, else an InvalidActionError naming `what`. */
  private checkNode(value: unknown, what: string): number {
    const n = this.cluster.n;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= n) {
      throw new InvalidActionError(
        `${ID}: ${what} ${JSON.stringify(value)} is not in Discrete(${n}); accepted: a node index where the pod fits (info.actionMask)`,
      );
    }
    if (!this.mask[value]) {
      throw new InvalidActionError(
        `${ID}: ${what}: the pod does not fit node ${value} (${this.nodes.names[value]}); accepted: one of the ${this.validCount} nodes where it fits (info.actionMask)`,
      );
    }
    return value;
  }

  /** The episode's metrics so far (complete once the episode has ended). */
  metrics(): Record<string, number> {
    const total = this.cluster.totalGpuMilli;
    const m: Record<string, number> = { gpu_allocation: (this.cluster.allocatedGpuMilli / total) * 100 };
    for (const x of REPORT_POINTS) {
      const v = allocationAt(this.arrivedAt, this.allocatedAt, this.arrivals, total, x);
      if (Number.isFinite(v)) m[`gpu_allocation_${x}`] = v;
    }
    m.arrived_gpu = (this.arrivedMilli / total) * 100;
    const frag = this.cluster.clusterFrag();
    m.frag_amount = frag.frag;
    m.frag_ratio = frag.idle > 0 ? (100 * frag.frag) / frag.idle : 0;
    m.pods = this.arrivals;
    m.placed_pods = this.placed;
    let failed = 0;
    FAILED_CLASSES.forEach((c, i) => {
      m[`failed_pods_${c}`] = this.failed[i];
      failed += this.failed[i];
    });
    m.failed_pods = failed;
    m.decisions = this.decisions;
    if (this.options.timing) m.decision_time_ms = this.decisions > 0 ? this.decisionTime / this.decisions : 0;
    return m;
  }

  override actionMasks(): Uint8Array {
    return this.mask.slice();
  }

  override render(): string {
    const total = this.cluster.totalGpuMilli;
    const alloc = ((this.cluster.allocatedGpuMilli / total) * 100).toFixed(2);
    const arrived = ((this.arrivedMilli / total) * 100).toFixed(2);
    const pod = this.pod;
    const next = pod
      ? `next pod: cpu ${pod.cpu}m, mem ${pod.mem} MiB, ${pod.num} x ${pod.milli}m GPU${pod.spec ? ` (${pod.spec})` : ''}, fits ${this.validCount} nodes`
      : 'episode over';
    return `pods ${this.arrivals}/${this.sequence.length} (placed ${this.placed}), GPU allocation ${alloc} % of ${total / MILLI} GPUs, arrived ${arrived} %; ${next}`;
  }
}
