/**
 * The linear programs of WAN traffic engineering, solved by HiGHS (npm `highs`, HiGHS 1.15 compiled to
 * WebAssembly, MIT; the .wasm ships inside the package, nothing is downloaded). The runtime is loaded once
 * per process at import (a top-level await, ~60 ms); every solve after that is synchronous.
 *
 * Units: callers pass capacities and demands already divided by the topology's unit (the mean link
 * capacity), so capacities are about 1; with raw bps against 1e9 capacities HiGHS has been seen to report
 * success with an optimum wrong by 7 %. Feasibility tolerances are tightened to 1e-10.
 *
 * - `optDestinationAggregated`: OPT, the minimum MLU over all routings; one commodity per destination
 *   (flow variables f[t][e]), the small formulation used by the env.
 * - `optPerCommodity`: the same optimum with one commodity per OD pair (f[od][e]); only for cross-checks.
 * - `pathLp`: the minimum MLU over the K paths (OPT_K) and, with `tieBreak`, the reference's unique split:
 *   among min-MLU splits the one minimising Σ_od Σ_p x_odp · hops_p · D_od (a second LP with the MLU
 *   bounded by U*(1 + 1e-9)). Pairs without demand take their first (shortest) path.
 * An infeasible or failed LP is a SchedlabError naming the status.
 */
import highsModule, { type Highs, type ModelData } from 'highs';
import { SchedlabError } from '../../core/errors.js';
import type { PathSet } from './paths.js';
import type { Topology } from './topology.js';

// The package's types describe its CommonJS build; under ESM the default export is the loader itself.
const loadHighs = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as unknown as () => Promise<Highs>;
const highs: Highs = await loadHighs();

const SOLVER_OPTIONS = { output_flag: false, primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 } as const;

/** Version of the embedded HiGHS, for records. */
export const highsVersion = highs.version.string;

export interface SparseLp {
  numCols: number;
  cost: number[];
  lower: number[];
  upper: number[];
  rowsLower: number[];
  rowsUpper: number[];
  /** Row-wise entries. */
  rows: { index: number[]; value: number[] }[];
}

export function newLp(numCols: number): SparseLp {
  return {
    numCols,
    cost: new Array<number>(numCols).fill(0),
    lower: new Array<number>(numCols).fill(0),
    upper: new Array<number>(numCols).fill(Infinity),
    rowsLower: [],
    rowsUpper: [],
    rows: [],
  };
}

export function addRow(lp: SparseLp, index: number[], value: number[], lo: number, hi: number): void {
  lp.rows.push({ index, value });
  lp.rowsLower.push(lo);
  lp.rowsUpper.push(hi);
}

export interface LpSolution {
  objective: number;
  x: Float64Array;
}

/** Solves `lp` (minimise); throws a SchedlabError unless HiGHS reports an optimum. */
export function solveLp(lp: SparseLp, what: string): LpSolution {
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of lp.rows) {
    indices.push(...r.index);
    values.push(...r.value);
    starts.push(indices.length);
  }
  const inf = highs.infinity;
  const fix = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const data: ModelData = {
    numCols: lp.numCols,
    numRows: lp.rows.length,
    colCost: lp.cost,
    colLower: lp.lower.map(fix),
    colUpper: lp.upper.map(fix),
    rowLower: lp.rowsLower.map(fix),
    rowUpper: lp.rowsUpper.map(fix),
    matrix: { format: 'csr', numRows: lp.rows.length, numCols: lp.numCols, starts, indices, values },
  };
  const model = highs.createModel(data);
  try {
    model.options.set(SOLVER_OPTIONS);
    model.run();
    const status = model.getModelStatus();
    if (status !== highs.constants.modelStatus.optimal) {
      const name = Object.entries(highs.constants.modelStatus).find(([, v]) => v === status)?.[0] ?? String(status);
      throw new SchedlabError(
        `${what}: the LP has no optimum (HiGHS status '${name}')${name === 'infeasible' ? '; check that every OD pair with demand has a path and every capacity is > 0' : ''}`,
      );
    }
    return { objective: model.getObjectiveValue(), x: Float64Array.from(model.getSolution().colValue) };
  } finally {
    model.dispose();
  }
}

/** Capacities in the LP's units (divided by the topology's unit). */
function scaledCapacity(topo: Topology): Float64Array {
  return topo.capacity.map((c) => c / topo.unit);
}

/** OPT by the destination-aggregated multicommodity-flow LP. `demand`: n×n, in capacity units. */
export function optDestinationAggregated(topo: Topology, demand: Float64Array): number {
  const n = topo.n;
  const m = topo.numLinks;
  const dests: number[] = [];
  for (let t = 0; t < n; t++) {
    let any = false;
    for (let s = 0; s < n; s++) if (s !== t && demand[s * n + t] > 0) any = true;
    if (any) dests.push(t);
  }
  if (dests.length === 0) return 0;
  const uCol = dests.length * m;
  const lp = newLp(uCol + 1);
  lp.cost[uCol] = 1;
  dests.forEach((t, ti) => {
    for (let u = 0; u < n; u++) {
      if (u === t) continue;
      const index: number[] = [];
      const value: number[] = [];
      for (const e of topo.out[u]) {
        index.push(ti * m + e);
        value.push(1);
      }
      for (const e of topo.in[u]) {
        index.push(ti * m + e);
        value.push(-1);
      }
      const d = demand[u * n + t];
      addRow(lp, index, value, d, d);
    }
  });
  const cap = scaledCapacity(topo);
  for (let e = 0; e < m; e++) {
    const index = dests.map((_, ti) => ti * m + e);
    const value = dests.map(() => 1);
    index.push(uCol);
    value.push(-cap[e]);
    addRow(lp, index, value, -Infinity, 0);
  }
  return solveLp(lp, `${topo.name}: OPT (destination-aggregated LP)`).objective;
}

/** OPT by the per-commodity (one commodity per OD pair) LP: a cross-check of the aggregated one. */
export function optPerCommodity(topo: Topology, demand: Float64Array): number {
  const n = topo.n;
  const m = topo.numLinks;
  const pairs: [number, number][] = [];
  for (let s = 0; s < n; s++) for (let t = 0; t < n; t++) if (s !== t && demand[s * n + t] > 0) pairs.push([s, t]);
  if (pairs.length === 0) return 0;
  const uCol = pairs.length * m;
  const lp = newLp(uCol + 1);
  lp.cost[uCol] = 1;
  pairs.forEach(([s, t], pi) => {
    for (let u = 0; u < n; u++) {
      if (u === t) continue;
      const index: number[] = [];
      const value: number[] = [];
      for (const e of topo.out[u]) {
        index.push(pi * m + e);
        value.push(1);
      }
      for (const e of topo.in[u]) {
        index.push(pi * m + e);
        value.push(-1);
      }
      const d = u === s ? demand[s * n + t] : 0;
      addRow(lp, index, value, d, d);
    }
  });
  const cap = scaledCapacity(topo);
  for (let e = 0; e < m; e++) {
    const index = pairs.map((_, pi) => pi * m + e);
    const value = pairs.map(() => 1);
    index.push(uCol);
    value.push(-cap[e]);
    addRow(lp, index, value, -Infinity, 0);
  }
  return solveLp(lp, `${topo.name}: OPT (per-commodity LP)`).objective;
}

export interface PathLpResult {
  /** The minimum MLU over the K paths (OPT_K). */
  mlu: number;
  /** Split weights, pairs × k (padding and demand-free pairs: all weight on the first path). */
  split: Float64Array;
}

/**
 * The path LP on `demand` (n×n, capacity units): min U s.t. Σ_p x_odp = 1, Σ D_od x_odp [e ∈ p] ≤ U c_e.
 * With `tieBreak`, a second LP picks the reference's unique split among the min-MLU ones.
 */
export function pathLp(topo: Topology, set: PathSet, demand: Float64Array, tieBreak = true): PathLpResult {
  const n = topo.n;
  const k = set.k;
  const numPairs = set.paths.length;
  const split = new Float64Array(numPairs * k);
  const active: number[] = [];
  for (let p = 0; p < numPairs; p++) {
    const d = demand[set.origin[p] * n + set.destination[p]];
    if (d > 0) active.push(p);
    else split[p * k] = 1;
  }
  if (active.length === 0) return { mlu: 0, split };
  // Columns: one per (active pair, path), then U.
  const colOf: number[] = [];
  const cols: { p: number; i: number }[] = [];
  for (const p of active) {
    colOf[p] = cols.length;
    set.paths[p].forEach((_, i) => cols.push({ p, i }));
  }
  const uCol = cols.length;
  const lp = newLp(uCol + 1);
  lp.cost[uCol] = 1;
  for (const p of active) {
    const c0 = colOf[p];
    const count = set.paths[p].length;
    if (count === 0)
      throw new SchedlabError(
        `${topo.name}: OD pair ${topo.nodeNames[set.origin[p]]} -> ${topo.nodeNames[set.destination[p]]} has demand but no path; the LP is infeasible`,
      );
    addRow(
      lp,
      Array.from({ length: count }, (_, i) => c0 + i),
      new Array<number>(count).fill(1),
      1,
      1,
    );
  }
  const linkIndex: number[][] = Array.from({ length: topo.numLinks }, () => []);
  const linkValue: number[][] = Array.from({ length: topo.numLinks }, () => []);
  cols.forEach(({ p, i }, c) => {
    const d = demand[set.origin[p] * n + set.destination[p]];
    for (const e of set.paths[p][i].links) {
      linkIndex[e].push(c);
      linkValue[e].push(d);
    }
  });
  const cap = scaledCapacity(topo);
  const linkRows: number[] = [];
  for (let e = 0; e < topo.numLinks; e++) {
    if (linkIndex[e].length === 0) continue;
    linkRows.push(e);
    addRow(lp, [...linkIndex[e], uCol], [...linkValue[e], -cap[e]], -Infinity, 0);
  }
  const first = solveLp(lp, `${topo.name}: OPT_K (path LP, k = ${k})`);
  const mlu = first.objective;
  let x = first.x;
  if (tieBreak) {
    // Second LP: U fixed at most U*(1 + 1e-9); minimise Σ x_odp · hops_p · D_od.
    lp.cost[uCol] = 0;
    lp.upper[uCol] = mlu * (1 + 1e-9);
    cols.forEach(({ p, i }, c) => {
      lp.cost[c] = set.paths[p][i].links.length * demand[set.origin[p] * n + set.destination[p]];
    });
    x = solveLp(lp, `${topo.name}: tie-break LP (k = ${k})`).x;
  }
  for (const p of active) {
    const c0 = colOf[p];
    let sum = 0;
    for (let i = 0; i < set.paths[p].length; i++) sum += Math.max(0, x[c0 + i]);
    for (let i = 0; i < set.paths[p].length; i++) split[p * k + i] = Math.max(0, x[c0 + i]) / sum;
  }
  return { mlu, split };
}
