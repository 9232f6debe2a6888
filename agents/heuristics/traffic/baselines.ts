/**
 * The WAN traffic-engineering baselines of DOTE (Perry et al., NSDI 2023, https://github.com/PredWanTE/DOTE)
 * and Teal (Xu et al., SIGCOMM 2023), for WanTrafficEngineering-v0 (they read `info.traffic`):
 * - `shortest-path`: all of a pair's traffic on its first path (fewest hops, lexicographic tie-break);
 * - `ecmp`: OSPF ECMP with unit weights (per destination, every node splits evenly over its next hops on
 *   shortest paths), expressed exactly as weights over the K paths (an error if some pair has more
 *   equal-hop shortest paths than k);
 * - `uniform-k`: 1/k_od on each of the pair's paths;
 * - `oracle`: the LP on the matrix being routed (it sees D_t; ratio OPT_K/OPT);
 * - `prev-lp`: the LP on D_{t−1}; `avg-lp` / `max-lp`: the LP on the element-wise mean / max of the last
 *   `history` (12) matrices.
 * The LP's optimal split is not unique; every LP baseline takes the reference's rule: among min-MLU
 * splits the one minimising Σ_od Σ_p x_odp · hops_p · D_od (a second LP with the MLU bounded by
 * U*(1 + 1e-9)); pairs without demand use their first path. Before the series' first matrix there is no
 * history: the history-based LP baselines then fall back to uniform-k (documented, rare: only an episode
 * that starts at matrix 0). LP splits are cached per series, paths and matrix key, shared by every
 * baseline of the process, so an evaluation over seeds solves each LP once.
 */
import { SchedlabError } from '../../../core/errors.js';
import { opt, parseOptions } from '../../../core/options.js';
import type { Env } from '../../../envs/core/env.js';
import { pathLp } from '../../../envs/traffic/lp.js';
import { ecmpPathWeights, type PathSet } from '../../../envs/traffic/paths.js';
import {
  actionForSplits,
  readTrafficState,
  WanTrafficEngineeringEnv,
  type TrafficStateView,
  type WanAction,
} from '../../../envs/traffic/wan-te.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';

export function supportsTraffic(env: Env<any, any>): string | null {
  return env.unwrapped instanceof WanTrafficEngineeringEnv ? null : 'it acts only on WanTrafficEngineering-v0 (it reads info.traffic)';
}

/** A traffic baseline: a rule from the state view to split weights (pairs × k). */
export class TrafficBaseline extends HeuristicAgent<Float32Array, WanAction> {
  constructor(
    name: string,
    options: Record<string, unknown>,
    private readonly rule: (view: TrafficStateView) => Float64Array,
  ) {
    super(name, options);
  }

  /** The split weights this baseline applies at the view's matrix. */
  weights(view: TrafficStateView): Float64Array {
    return this.rule(view);
  }

  act(_observation: Float32Array, options: ActOptions = {}): WanAction {
    const view = readTrafficState(options.info, this.name);
    return actionForSplits(view, this.rule(view));
  }
}

const constant = new WeakMap<PathSet, Map<string, Float64Array>>();

function memo(view: TrafficStateView, key: string, make: () => Float64Array): Float64Array {
  let m = constant.get(view.paths);
  if (!m) constant.set(view.paths, (m = new Map<string, Float64Array>()));
  let w = m.get(key);
  if (!w) m.set(key, (w = make()));
  return w;
}

export function shortestPathWeights(view: TrafficStateView): Float64Array {
  return memo(view, 'shortest-path', () => {
    const w = new Float64Array(view.numPairs * view.k);
    for (let p = 0; p < view.numPairs; p++) w[p * view.k] = 1;
    return w;
  });
}

export function uniformWeights(view: TrafficStateView): Float64Array {
  return memo(view, 'uniform-k', () => {
    const k = view.k;
    const w = new Float64Array(view.numPairs * k);
    for (let p = 0; p < view.numPairs; p++) {
      const c = view.paths.paths[p].length;
      for (let i = 0; i < c; i++) w[p * k + i] = 1 / c;
    }
    return w;
  });
}

export function ecmpWeights(view: TrafficStateView): Float64Array {
  return memo(view, 'ecmp', () => {
    const { weights, uncovered } = ecmpPathWeights(view.topology, view.paths);
    if (uncovered.length) {
      const names = view.topology.nodeNames;
      const first = uncovered.slice(0, 3).map((p) => `${names[view.paths.origin[p]]} -> ${names[view.paths.destination[p]]}`);
      throw new SchedlabError(
        `ecmp: ${uncovered.length} OD pair(s) (${first.join(', ')}${uncovered.length > 3 ? ', …' : ''}) have more equal-hop shortest paths than k = ${view.k}, so ECMP is not a split over the env's paths; raise the env's k`,
      );
    }
    return weights;
  });
}

const splits = new WeakMap<readonly Float64Array[], WeakMap<PathSet, Map<string, Float64Array>>>();

/** The LP split of the matrix `demand()` builds, cached under `key` for this series and these paths. */
function lpSplit(view: TrafficStateView, key: string, demand: () => Float64Array): Float64Array {
  let byPaths = splits.get(view.matrices);
  if (!byPaths) splits.set(view.matrices, (byPaths = new WeakMap()));
  let m = byPaths.get(view.paths);
  if (!m) byPaths.set(view.paths, (m = new Map<string, Float64Array>()));
  let s = m.get(key);
  if (!s) m.set(key, (s = pathLp(view.topology, view.paths, demand(), true).split));
  return s;
}

/** The LP split on matrix t of the series itself (oracle; prev-lp uses t − 1). */
function lpOnMatrix(view: TrafficStateView, t: number): Float64Array {
  return lpSplit(view, `matrix:${t}`, () => view.matrices[t]);
}

function lpOnHistory(view: TrafficStateView, kind: 'avg' | 'max', history: number, t: number): Float64Array {
  const first = Math.max(0, t - history);
  if (t - first === 1) return lpOnMatrix(view, t - 1);
  return lpSplit(view, `${kind}:${history}:${t}`, () => {
    const size = view.matrices[0].length;
    const out = new Float64Array(size);
    for (let s = first; s < t; s++) {
      const m = view.matrices[s];
      for (let j = 0; j < size; j++) out[j] = kind === 'avg' ? out[j] + m[j] / (t - first) : Math.max(out[j], m[j]);
    }
    return out;
  });
}

const historyOption = { history: opt.int(12, { min: 1 }) };

const BASELINES: {
  name: string;
  description: string;
  options?: typeof historyOption;
  make: (o: { history: number }) => (view: TrafficStateView) => Float64Array;
}[] = [
  {
    name: 'shortest-path',
    description: 'all traffic on the fewest-hop path (lexicographic tie-break)',
    make: () => (v) => shortestPathWeights(v),
  },
  { name: 'ecmp', description: 'OSPF ECMP, unit weights: even splits over next hops on shortest paths', make: () => (v) => ecmpWeights(v) },
  { name: 'uniform-k', description: "1/k_od on each of the pair's K paths", make: () => (v) => uniformWeights(v) },
  {
    name: 'oracle',
    description: 'the LP on the matrix being routed (sees D_t; scores OPT_K/OPT)',
    make: () => (v) => lpOnMatrix(v, v.index),
  },
  {
    name: 'prev-lp',
    description: 'the LP on the previous matrix D_{t−1}',
    make: () => (v) => (v.index > 0 ? lpOnMatrix(v, v.index - 1) : uniformWeights(v)),
  },
  {
    name: 'avg-lp',
    description: 'the LP on the element-wise mean of the last `history` (12) matrices',
    options: historyOption,
    make: (o) => (v) => (v.index > 0 ? lpOnHistory(v, 'avg', o.history, v.index) : uniformWeights(v)),
  },
  {
    name: 'max-lp',
    description: 'the LP on the element-wise max of the last `history` (12) matrices',
    options: historyOption,
    make: (o) => (v) => (v.index > 0 ? lpOnHistory(v, 'max', o.history, v.index) : uniformWeights(v)),
  },
];

for (const b of BASELINES) {
  registerAgent({
    name: b.name,
    kind: 'heuristic',
    priority: 1,
    description: `WanTrafficEngineering-v0: ${b.description}`,
    supports: supportsTraffic,
    create: (env, options) => {
      const o = parseOptions(b.name, options, b.options ?? {}) as { history?: number };
      const agent = new TrafficBaseline(b.name, o, b.make({ history: o.history ?? 12 }));
      // ECMP's weights are checked when the agent is made, so a topology it cannot express fails at once.
      if (b.name === 'ecmp') ecmpWeights((env.unwrapped as WanTrafficEngineeringEnv).stateView());
      return agent;
    },
  });
}
