/**
 * WanTrafficEngineering-v0: split every origin–destination pair's traffic over a few precomputed paths
 * before the interval's demand matrix is seen, so that the maximum link utilisation (MLU) stays low, and
 * be scored against the exact optimum of that matrix.
 *
 * ## Description
 * A wide-area network (regions or data centres as nodes, directed inter-DC links with capacities) carries
 * one demand matrix D_t per interval. Each step the agent fixes, for every ordered OD pair, non-negative
 * weights over the pair's K candidate paths (the K fewest-hop loop-free paths, ties broken by the
 * lexicographic order of the node-index sequences); the env then routes D_t with those weights, and the
 * link loads L_e = Σ_od D_od Σ_p x_odp [e ∈ p] give MLU_t = max_e L_e / c_e. OPT_t, the minimum MLU over
 * all fractional routings (any paths), and OPT_K,t, the minimum over the K paths, come from linear
 * programs solved by HiGHS (npm `highs`, WebAssembly), once per matrix and cached.
 * Source: the traffic-engineering setting of DOTE (Perry et al., NSDI 2023, https://github.com/PredWanTE/DOTE)
 * and Teal (Xu et al., SIGCOMM 2023, https://github.com/harvard-cns/teal); the path and ECMP definitions
 * are stated in paths.ts, the LP formulations in this folder, the baselines with their registrations.
 * Data (data/wan/, attribution and md5 in its README): B4 with Teal's 36 real matrices (MIT), Abilene with
 * YATES' 36 five-minute and 200 hourly matrices (GPL-3.0/LGPL-3.0 repository), UsCarrier (MIT).
 *
 * ## Observation
 * Box(float32, history · n(n−1) + numLinks), all ≥ 0: the last `history` demand matrices before the one
 * being routed, oldest first, each with its diagonal dropped (pairs in row-major order, pair index
 * o·(n−1) + d − [d > o]) and divided by the mean link capacity (× demandScale); then the previous step's
 * per-link utilisation (link order of the topology). Padding: matrices before the start of the series
 * are zeros; on the first step of an episode the utilisation part is zeros. The history may reach back
 * before the episode's (and the split's) first matrix: past demand is known to the controller.
 *
 * ## Actions
 * - `actionMode: 'splits'` (default): Box(float64, n(n−1) · k) in [−20, 20]: per-path logits, k slots per
 *   pair (pair order as above). The env turns each pair's logits into weights by a softmax over its real
 *   paths; a logit at the lower bound (−20, where out-of-range logits are clipped) means weight exactly 0,
 *   and a pair whose logits are all at −20 splits evenly. Slots beyond a pair's paths (fewer than k exist)
 *   are padding, ignored; `info.pathMask` (Uint8Array, 1 = real path) marks them. float64, so a known split
 *   x maps exactly to logits ln x (see `actionForSplits`).
 * - `actionMode: 'paths'`: MultiDiscrete, one entry per pair with as many values as the pair has paths:
 *   all of the pair's traffic on the chosen path.
 * No `info.actionMask`: schedlab's mask convention (env checker, PPO's rollouts) defines masks for
 * Discrete, MultiDiscrete and MultiBinary spaces only, and in 'paths' mode every value is a real path.
 *
 * ## Reward
 * `reward: 'ratio'` (default): −MLU_t / OPT_t (−1 at best); `reward: 'mlu'`: −MLU_t.
 *
 * ## Episode end
 * Terminated after the episode's last matrix: the end of the split (`episodeLength: null`) or
 * `episodeLength` matrices after the start. No truncation by the env; `make` adds no TimeLimit.
 * `info.metrics` on the last step: `ratio_mean`, `ratio_p50`, `ratio_p90`, `ratio_p99`, `ratio_max`
 * (MLU/OPT over the episode's intervals; percentiles interpolate linearly, as numpy's), `mlu_mean`,
 * `mlu_max`, `congestion` (fraction of intervals with MLU > 1), `optk_ratio_mean` (mean OPT_K/OPT).
 * `info` on every step: `mlu`, `opt`, `optK`, `ratio`, `utilization` (Float64Array per link), `maxLink`
 * ({link, source, target, utilization}), `index` (the matrix index just routed); on reset and step:
 * `pathMask` and `traffic` (the state view heuristics read: topology, paths, series, next index).
 *
 * ## Starting state
 * The split: 'train' = the first 75 % of the series (⌊0.75·T⌋ matrices), 'test' = the rest, 'all' = every
 * matrix. With `episodeLength: null` the episode runs from the split's first matrix to its end; with a
 * length L the start is uniform over the split's possible starts from `npRandom`. Reset option `start`
 * (an index of the series, inside the split) fixes the first matrix.
 *
 * ## Options (defaults)
 * - `topology` ('b4'): 'b4' | 'abilene' | 'uscarrier' | an object or JSON file {nodes, links: [{source, target, capacity}]}.
 * - `traffic` (null = the topology's own: 'teal-b4-real' for b4, 'yates-5min' for abilene, 'gravity'
 *   otherwise): 'teal-b4-real' | 'yates-5min' | 'yates-hourly' | 'gravity' | a CSV path (one flattened
 *   n×n matrix per row, the topology's units) | in code, an array of n×n matrices.
 * - Gravity model: `totalDemand` (null = 0.1 × number of links, capacity units), `nodeWeights` (null =
 *   drawn uniform in [0.5, 1.5)), `gravitySeed` (0), `gravityLength` (96 matrices).
 * - `k` (4): paths per pair (≥ 1). `history` (12): matrices in the observation (≥ 1).
 * - `split` ('train'): 'train' | 'test' | 'all'. `episodeLength` (null): null | an integer ≥ 1.
 * - `reward` ('ratio'): 'ratio' | 'mlu'. `demandScale` (1): multiplies every demand (> 0).
 * - `actionMode` ('splits'): 'splits' | 'paths'.
 *
 * ## Version history
 * - v0 (schedlab 0.1): first version.
 */
import { InvalidActionError, OptionError, ResetNeededError } from '../../core/errors.js';
import { opt, OptionProblem, parseOptions } from '../../core/options.js';
import { Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../core/env.js';
import { Box } from '../core/spaces/box.js';
import { MultiDiscrete } from '../core/spaces/multi-discrete.js';
import type { Space } from '../core/spaces/space.js';
import type { PathSet } from './paths.js';
import { trafficProblem, type TrafficProblem } from './problem.js';
import { BUNDLED_TOPOLOGIES, loadTopology, type Topology } from './topology.js';
import { BUNDLED_TRAFFIC, defaultTraffic, loadTraffic } from './traffic.js';

export const ENV_ID = 'WanTrafficEngineering-v0';
/** Bounds of the 'splits' logits; a logit at the lower bound switches its path off. */
export const LOGIT_BOUND = 20;

const nullOrInt = (def: number | null, min: number) =>
  opt.custom<number | null>(def, `null or an integer >= ${min}`, (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v;
  });

export const wanOptions = {
  topology: opt.custom<unknown>(
    'b4',
    `${BUNDLED_TOPOLOGIES.map((t) => `'${t}'`).join(' | ')} | an object or JSON file {nodes, links: [{source, target, capacity}]}`,
    (v) => v,
  ),
  traffic: opt.custom<unknown>(
    null,
    `null | ${BUNDLED_TRAFFIC.map((t) => `'${t}'`).join(' | ')} | a CSV path | an array of matrices`,
    (v) => v,
  ),
  k: opt.int(4, { min: 1 }),
  history: opt.int(12, { min: 1 }),
  split: opt.oneOf('train', ['train', 'test', 'all'] as const),
  episodeLength: nullOrInt(null, 1),
  reward: opt.oneOf('ratio', ['ratio', 'mlu'] as const),
  demandScale: opt.number(1, { min: 0, minExclusive: true }),
  actionMode: opt.oneOf('splits', ['splits', 'paths'] as const),
  totalDemand: opt.custom<number | null>(null, 'null or a number > 0', (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v;
  }),
  nodeWeights: opt.custom<number[] | null>(null, 'null or an array of positive numbers, one per node', (v) => {
    if (v === null) return null;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0))
      throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v as number[];
  }),
  gravitySeed: opt.int(0, { min: 0 }),
  gravityLength: opt.int(96, { min: 1 }),
};

export type WanOptions = ReturnType<typeof parseWanOptions>;

function parseWanOptions(options: Record<string, unknown>) {
  return parseOptions(ENV_ID, options, wanOptions);
}

export const wanResetOptions = { start: nullOrInt(null, 0) };

/**
 * What heuristics read in `info.traffic`: frozen, read-only data (no functions). The series' matrices are
 * all there (capacity units): history-based baselines read the past ones, the oracle the one at `index`.
 */
export interface TrafficStateView {
  /** The series index of the matrix the next action will route. */
  readonly index: number;
  /** First index of the episode's split (history may reach before it). */
  readonly splitStart: number;
  readonly actionMode: 'splits' | 'paths';
  readonly k: number;
  readonly numPairs: number;
  readonly topology: Topology;
  readonly paths: PathSet;
  /** Every matrix of the series, n×n row-major, in capacity units (× demandScale). */
  readonly matrices: readonly Float64Array[];
}

export function readTrafficState(info: Info | undefined, agent: string): TrafficStateView {
  const view = info?.traffic as TrafficStateView | undefined;
  if (!view || typeof view.index !== 'number')
    throw new InvalidActionError(
      `${agent}: info.traffic is missing; this agent acts only on ${ENV_ID} and needs the info of the last reset or step`,
    );
  return view;
}

/** The action that applies `weights` (pairs × k, each pair's real paths summing to 1). */
export function actionForSplits(view: TrafficStateView, weights: Float64Array): Float64Array | number[] {
  const { k, numPairs, paths } = view;
  if (view.actionMode === 'paths') {
    const out = new Array<number>(numPairs);
    for (let p = 0; p < numPairs; p++) {
      let best = 0;
      for (let i = 1; i < paths.paths[p].length; i++) if (weights[p * k + i] > weights[p * k + best]) best = i;
      out[p] = best;
    }
    return out;
  }
  const action = new Float64Array(numPairs * k).fill(-LOGIT_BOUND);
  for (let p = 0; p < numPairs; p++) {
    for (let i = 0; i < paths.paths[p].length; i++) {
      const w = weights[p * k + i];
      if (w > 0) action[p * k + i] = Math.max(-LOGIT_BOUND + 1e-9, Math.log(w));
    }
  }
  return action;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export type WanAction = Float64Array | Int32Array | number[];

export class WanTrafficEngineeringEnv extends Env<Float32Array, WanAction> {
  readonly observationSpace: Box<Float32Array>;
  readonly actionSpace: Space<WanAction>;
  readonly options: WanOptions;
  readonly topology: Topology;
  readonly problem: TrafficProblem;
  /** Every matrix's pair demands as float32, one row per matrix back to back (the observation's rows). */
  private readonly obsRows: Float32Array;
  private readonly numPairs: number;
  private readonly weights: Float64Array;
  private readonly util: Float64Array;
  private readonly prevUtil: Float64Array;
  private readonly obsSize: number;
  private index = -1;
  private end = 0;
  private splitStart = 0;
  private episodeStep = 0;
  private ratios: number[] = [];
  private mlus: number[] = [];
  private optkRatios: number[] = [];
  private done = true;

  constructor(options: Record<string, unknown> = {}) {
    super();
    const o = parseWanOptions(options);
    this.options = o;
    this.topology = loadTopology(o.topology);
    const trafficSpec =
      o.traffic ??
      defaultTraffic(
        typeof o.topology === 'string' && (BUNDLED_TOPOLOGIES as readonly string[]).includes(o.topology) ? o.topology : 'custom',
      );
    const series = loadTraffic(trafficSpec, this.topology, o.demandScale, o);
    if (series.matrices.length < 2 && o.split !== 'all')
      throw new OptionError(
        'split',
        `is '${o.split}' but the series has ${series.matrices.length} matrix`,
        "'all' (a train/test split needs at least 2 matrices)",
        ENV_ID,
      );
    this.problem = trafficProblem(this.topology, series, o.k);
    const P = this.problem.numPairs;
    this.numPairs = P;
    const k = o.k;
    this.obsRows = new Float32Array(this.problem.length * P);
    this.problem.pairDemand.forEach((d, t) => this.obsRows.set(d, t * P));
    this.obsSize = o.history * P + this.topology.numLinks;
    this.observationSpace = new Box<Float32Array>(0, Infinity, [this.obsSize], 'float32');
    this.actionSpace =
      o.actionMode === 'splits'
        ? new Box<Float64Array>(-LOGIT_BOUND, LOGIT_BOUND, [P * k], 'float64')
        : new MultiDiscrete(this.problem.paths.paths.map((p) => p.length));
    this.weights = new Float64Array(P * k);
    this.util = new Float64Array(this.topology.numLinks);
    this.prevUtil = new Float64Array(this.topology.numLinks);
    this.metadata = { renderModes: ['ansi'] };
    for (const split of ['train', 'test'] as const) {
      const [a, b] = this.range(split);
      if (o.split === split && o.episodeLength !== null && o.episodeLength > b - a) {
        throw new OptionError(
          'episodeLength',
          `is ${o.episodeLength}, longer than the '${split}' split (${b - a} matrices)`,
          `null or an integer in [1, ${b - a}]`,
          ENV_ID,
        );
      }
    }
  }

  /** [first, end) of a split's matrix indices. */
  range(split: 'train' | 'test' | 'all'): [number, number] {
    const T = this.problem.length;
    const cut = Math.floor(0.75 * T);
    return split === 'train' ? [0, cut] : split === 'test' ? [cut, T] : [0, T];
  }

  get activeSplit(): 'train' | 'test' | 'all' {
    return this.options.split;
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const { start } = parseOptions(`${ENV_ID} reset`, args.options, wanResetOptions);
    const o = this.options;
    const split = this.activeSplit;
    const [a, b] = this.range(split);
    const length = o.episodeLength === null ? b - a : Math.min(o.episodeLength, b - a);
    let first: number;
    if (start !== null) {
      if (start < a || start + length > b) {
        throw new OptionError(
          'start',
          `is ${start}, but an episode of ${length} matrices must start in [${a}, ${b - length}] (the '${split}' split is [${a}, ${b - 1}])`,
          `an integer in [${a}, ${b - length}]`,
          `${ENV_ID} reset`,
        );
      }
      first = start;
    } else first = o.episodeLength === null ? a : a + this.npRandom.integers(0, b - a - length + 1);
    this.index = first;
    this.end = first + length;
    this.splitStart = a;
    this.episodeStep = 0;
    this.ratios = [];
    this.mlus = [];
    this.optkRatios = [];
    this.prevUtil.fill(0);
    this.done = false;
    return { observation: this.observation(), info: this.baseInfo() };
  }

  /** The state view of `info.traffic` at the current index. */
  stateView(): TrafficStateView {
    const p = this.problem;
    return Object.freeze({
      index: this.index,
      splitStart: this.splitStart,
      actionMode: this.options.actionMode,
      k: p.k,
      numPairs: p.numPairs,
      topology: this.topology,
      paths: p.paths,
      matrices: p.series.matrices,
    });
  }

  private baseInfo(): Info {
    return { pathMask: this.problem.pathMask, traffic: this.stateView() };
  }

  private observation(): Float32Array {
    const obs = new Float32Array(this.obsSize);
    const H = this.options.history;
    const P = this.numPairs;
    // Matrices index − H … index − 1 are consecutive rows: one copy (rows before the series stay zero).
    const first = Math.max(0, this.index - H);
    obs.set(this.obsRows.subarray(first * P, this.index * P), (first - (this.index - H)) * P);
    const base = H * P;
    for (let e = 0; e < this.prevUtil.length; e++) obs[base + e] = this.prevUtil[e];
    return obs;
  }

  /** Turns an action into split weights (pairs × k). */
  private applyAction(action: WanAction): void {
    const k = this.options.k;
    const w = this.weights;
    w.fill(0);
    if (this.options.actionMode === 'paths') {
      const a = action as ArrayLike<number>;
      if (!this.actionSpace.contains(action))
        throw new InvalidActionError(
          `${ENV_ID}: action is not in ${this.actionSpace}; 'paths' mode takes one path index per OD pair (pair p in [0, number of its paths))`,
        );
      for (let p = 0; p < this.numPairs; p++) w[p * k + Number(a[p])] = 1;
      return;
    }
    const a = action as ArrayLike<number>;
    if (!a || typeof a !== 'object' || a.length !== this.numPairs * k) {
      throw new InvalidActionError(
        `${ENV_ID}: action must be ${this.numPairs * k} logits (k = ${k} per OD pair, ${this.numPairs} pairs), got ${a && typeof a === 'object' ? `${a.length} values` : JSON.stringify(action)}`,
      );
    }
    // Logits are clipped to [−B, B], so exp cannot overflow: no max subtraction needed.
    const counts = this.problem.pathCount;
    const B = LOGIT_BOUND;
    for (let p = 0, o = 0; p < this.numPairs; p++, o += k) {
      const c = counts[p];
      let sum = 0;
      for (let i = o; i < o + c; i++) {
        let l = a[i];
        if (!(l > -B)) {
          if (l !== l) throw new InvalidActionError(`${ENV_ID}: action[${i}] is NaN; logits are numbers in [−${B}, ${B}]`);
          continue; // at (or below) the lower bound: weight 0
        }
        if (l > B) l = B;
        const v = Math.exp(l);
        w[i] = v;
        sum += v;
      }
      if (sum === 0) for (let i = o; i < o + c; i++) w[i] = 1 / c;
      else for (let i = o; i < o + c; i++) w[i] /= sum;
    }
  }

  step(action: WanAction): StepResult<Float32Array> {
    if (this.done) throw new ResetNeededError(`${ENV_ID}: call reset() before step() (and after an episode ends)`);
    this.applyAction(action);
    const t = this.index;
    const util = this.problem.utilization(t, this.weights, this.util);
    let mlu = 0;
    let maxLink = 0;
    for (let e = 0; e < util.length; e++) {
      if (util[e] > mlu) {
        mlu = util[e];
        maxLink = e;
      }
    }
    const opt = this.problem.optOf(t);
    const optK = this.problem.optKOf(t);
    const ratio = opt > 0 ? mlu / opt : 1;
    this.ratios.push(ratio);
    this.mlus.push(mlu);
    this.optkRatios.push(opt > 0 ? optK / opt : 1);
    const reward = this.options.reward === 'ratio' ? -ratio : -mlu;
    this.prevUtil.set(util);
    this.index++;
    this.episodeStep++;
    const terminated = this.index >= this.end;
    this.done = terminated;
    const info: Info = {
      pathMask: this.problem.pathMask,
      traffic: this.stateView(),
      mlu,
      opt,
      optK,
      ratio,
      utilization: Float64Array.from(util),
      maxLink: {
        link: maxLink,
        source: this.topology.nodeNames[this.topology.src[maxLink]],
        target: this.topology.nodeNames[this.topology.dst[maxLink]],
        utilization: mlu,
      },
      index: t,
    };
    if (terminated) info.metrics = this.metrics();
    return { observation: this.observation(), reward, terminated, truncated: false, info };
  }

  private metrics(): Record<string, number> {
    const sorted = [...this.ratios].sort((a, b) => a - b);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    return {
      ratio_mean: mean(this.ratios),
      ratio_p50: quantile(sorted, 0.5),
      ratio_p90: quantile(sorted, 0.9),
      ratio_p99: quantile(sorted, 0.99),
      ratio_max: sorted[sorted.length - 1],
      mlu_mean: mean(this.mlus),
      mlu_max: Math.max(...this.mlus),
      congestion: this.mlus.filter((m) => m > 1).length / this.mlus.length,
      optk_ratio_mean: mean(this.optkRatios),
    };
  }

  override render(): string {
    if (this.index < 0) return `${ENV_ID}: not reset`;
    const lines = [
      `${ENV_ID} ${this.topology.name}: matrix ${this.index} of [${this.splitStart}, ${this.end}) (${this.activeSplit} split)`,
    ];
    if (this.mlus.length)
      lines.push(`last MLU ${this.mlus[this.mlus.length - 1].toFixed(4)}, MLU/OPT ${this.ratios[this.ratios.length - 1].toFixed(4)}`);
    return lines.join('\n');
  }
}
