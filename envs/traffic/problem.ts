/**
 * One traffic-engineering problem: a topology, its K paths per OD pair and a series of demand matrices,
 * with the per-matrix LP results cached (OPT, OPT_K), so training never re-solves a
 * matrix: every env and agent of a process built on the same topology, series and k shares one instance.
 */
import { optDestinationAggregated, pathLp } from './lp.js';
import { computePaths, type PathSet } from './paths.js';
import type { Topology } from './topology.js';
import type { TrafficSeries } from './traffic.js';

export class TrafficProblem {
  readonly paths: PathSet;
  readonly numPairs: number;
  /** Hops of each (pair, path slot); 0 for padding. */
  readonly hops: Int32Array;
  /** Number of real paths of each pair. */
  readonly pathCount: Int32Array;
  /** 1 where (pair, slot) is a real path. */
  readonly pathMask: Uint8Array;
  /** Per pair: first index of its links in `linkList`, per slot. Flattened as [pair*k + slot] → [start, end). */
  readonly linkStart: Int32Array;
  readonly linkList: Int32Array;
  /** Demand of each pair per matrix (diagonal dropped), pair order. */
  readonly pairDemand: Float64Array[];
  private readonly opt: Float64Array;
  private readonly optK: Float64Array;
  /** Total seconds spent in LP solves (for the bench). */
  lpSeconds = 0;
  lpSolves = 0;

  constructor(
    readonly topology: Topology,
    readonly series: TrafficSeries,
    readonly k: number,
  ) {
    this.paths = computePaths(topology, k);
    const n = topology.n;
    this.numPairs = n * (n - 1);
    this.hops = new Int32Array(this.numPairs * k);
    this.pathCount = Int32Array.from(this.paths.paths, (p) => p.length);
    this.pathMask = new Uint8Array(this.numPairs * k);
    this.linkStart = new Int32Array(this.numPairs * k + 1);
    const list: number[] = [];
    for (let p = 0; p < this.numPairs; p++) {
      for (let i = 0; i < k; i++) {
        const slot = p * k + i;
        this.linkStart[slot] = list.length;
        const path = this.paths.paths[p][i];
        if (path) {
          this.pathMask[slot] = 1;
          this.hops[slot] = path.links.length;
          list.push(...path.links);
        }
      }
    }
    this.linkStart[this.numPairs * k] = list.length;
    this.linkList = Int32Array.from(list);
    this.pairDemand = series.matrices.map((m) => {
      const out = new Float64Array(this.numPairs);
      for (let p = 0; p < this.numPairs; p++) out[p] = m[this.paths.origin[p] * n + this.paths.destination[p]];
      return out;
    });
    this.opt = new Float64Array(series.matrices.length).fill(NaN);
    this.optK = new Float64Array(series.matrices.length).fill(NaN);
  }

  get length(): number {
    return this.series.matrices.length;
  }

  /** OPT of matrix t (destination-aggregated LP), solved once. */
  optOf(t: number): number {
    let v = this.opt[t];
    if (Number.isNaN(v)) {
      const t0 = performance.now();
      v = this.opt[t] = optDestinationAggregated(this.topology, this.series.matrices[t]);
      this.lpSeconds += (performance.now() - t0) / 1000;
      this.lpSolves++;
    }
    return v;
  }

  /** OPT_K of matrix t (path LP over the K paths), solved once. */
  optKOf(t: number): number {
    let v = this.optK[t];
    if (Number.isNaN(v)) {
      const t0 = performance.now();
      v = this.optK[t] = pathLp(this.topology, this.paths, this.series.matrices[t], false).mlu;
      this.lpSeconds += (performance.now() - t0) / 1000;
      this.lpSolves++;
    }
    return v;
  }

  /** Per-link utilisation (load / capacity, capacities in the topology's unit) of `weights` on matrix t. */
  utilization(t: number, weights: Float64Array, out: Float64Array): Float64Array {
    out.fill(0);
    const demand = this.pairDemand[t];
    const k = this.k;
    const start = this.linkStart;
    const list = this.linkList;
    for (let p = 0; p < this.numPairs; p++) {
      const d = demand[p];
      if (d === 0) continue;
      for (let i = 0; i < k; i++) {
        const w = weights[p * k + i];
        if (w === 0) continue;
        const f = d * w;
        for (let j = start[p * k + i], end = start[p * k + i + 1]; j < end; j++) out[list[j]] += f;
      }
    }
    const cap = this.topology.capacity;
    const unit = this.topology.unit;
    for (let e = 0; e < out.length; e++) out[e] = (out[e] * unit) / cap[e];
    return out;
  }
}

const problems = new WeakMap<Topology, Map<string, TrafficProblem>>();

/** The shared problem of a topology, series and k. */
export function trafficProblem(topology: Topology, series: TrafficSeries, k: number): TrafficProblem {
  let byKey = problems.get(topology);
  if (!byKey) problems.set(topology, (byKey = new Map<string, TrafficProblem>()));
  const key = `${series.key}|k=${k}`;
  let p = byKey.get(key);
  if (!p) byKey.set(key, (p = new TrafficProblem(topology, series, k)));
  return p;
}
