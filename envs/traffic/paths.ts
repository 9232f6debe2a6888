/**
 * Candidate paths and ECMP for WAN traffic engineering, as DOTE (Perry et al., NSDI 2023) and Teal (Xu et
 * al., SIGCOMM 2023) use them, with the tie-breaks fixed exactly:
 * - K paths per OD pair: the K loop-free paths with the fewest hops (Yen's algorithm), ties between
 *   equal-hop paths broken by the lexicographic order of their node-index sequences; fewer than K when
 *   fewer exist. Yen's algorithm is exact for this total order because it is prefix-compatible: a path
 *   root + spur compares as its spur does, and each spur is the (hops, lexicographic) minimum, found by a
 *   BFS to the target followed by a walk that takes the lowest-index next hop on a shortest path.
 * - ECMP: per destination t, hop distances d(·, t); node u splits all traffic for t equally over its next
 *   hops v with d(v, t) = d(u, t) − 1 (OSPF ECMP, unit weights); not limited to the K paths.
 */
import { distancesTo, type Topology } from './topology.js';

export interface Path {
  /** Node indices, origin first. */
  nodes: number[];
  /** Link indices, in order. */
  links: number[];
}

/** The paths of every ordered pair (o ≠ d), pairs in row-major order: pair index = o·(n−1) + d − (d > o ? 1 : 0). */
export interface PathSet {
  k: number;
  /** Per pair, up to k paths, best first. */
  paths: Path[][];
  /** Pair index → origin and destination. */
  origin: Int32Array;
  destination: Int32Array;
}

export function pairIndex(n: number, o: number, d: number): number {
  return o * (n - 1) + d - (d > o ? 1 : 0);
}

function compare(a: number[], b: number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The fewest-hop, then lexicographically smallest, path from s to t avoiding blocked nodes and links; null if none. */
function bestPath(topo: Topology, s: number, t: number, blockedNodes?: Uint8Array, blockedLinks?: Uint8Array): Path | null {
  const d = distancesTo(topo, t, blockedNodes, blockedLinks);
  if (d[s] < 0) return null;
  const nodes = [s];
  const links: number[] = [];
  let u = s;
  while (u !== t) {
    // Outgoing links are sorted by target index: the first that gets one hop closer is the lexicographic choice.
    let next = -1;
    for (const e of topo.out[u]) {
      if (blockedLinks?.[e]) continue;
      const v = topo.dst[e];
      if (d[v] >= 0 && d[v] === d[u] - 1 && !blockedNodes?.[v]) {
        next = e;
        break;
      }
    }
    links.push(next);
    u = topo.dst[next];
    nodes.push(u);
  }
  return { nodes, links };
}

/** Yen's K shortest loop-free paths from s to t in (hops, lexicographic node sequence) order. */
export function kShortestPaths(topo: Topology, s: number, t: number, k: number): Path[] {
  const first = bestPath(topo, s, t);
  if (!first) return [];
  const found: Path[] = [first];
  const candidates: Path[] = [];
  const keys = new Set<string>([first.nodes.join(',')]);
  const blockedNodes = new Uint8Array(topo.n);
  const blockedLinks = new Uint8Array(topo.numLinks);
  while (found.length < k) {
    const prev = found[found.length - 1];
    for (let i = 0; i < prev.nodes.length - 1; i++) {
      const spurNode = prev.nodes[i];
      const root = prev.nodes.slice(0, i + 1);
      blockedNodes.fill(0);
      blockedLinks.fill(0);
      for (const p of found) {
        if (p.nodes.length > i + 1 && root.every((v, j) => p.nodes[j] === v)) blockedLinks[p.links[i]] = 1;
      }
      for (let j = 0; j < i; j++) blockedNodes[root[j]] = 1;
      const spur = bestPath(topo, spurNode, t, blockedNodes, blockedLinks);
      if (!spur) continue;
      const path: Path = { nodes: [...root, ...spur.nodes.slice(1)], links: [...prev.links.slice(0, i), ...spur.links] };
      const key = path.nodes.join(',');
      if (keys.has(key)) continue;
      keys.add(key);
      candidates.push(path);
    }
    if (candidates.length === 0) break;
    let best = 0;
    for (let c = 1; c < candidates.length; c++) if (compare(candidates[c].nodes, candidates[best].nodes) < 0) best = c;
    found.push(candidates.splice(best, 1)[0]);
  }
  return found;
}

const pathCache = new WeakMap<Topology, Map<number, PathSet>>();

/** The K paths of every pair (cached per topology and k). */
export function computePaths(topo: Topology, k: number): PathSet {
  let byK = pathCache.get(topo);
  if (!byK) pathCache.set(topo, (byK = new Map<number, PathSet>()));
  const hit = byK.get(k);
  if (hit) return hit;
  const n = topo.n;
  const numPairs = n * (n - 1);
  const origin = new Int32Array(numPairs);
  const destination = new Int32Array(numPairs);
  const paths = new Array<Path[]>(numPairs);
  for (let o = 0; o < n; o++) {
    for (let d = 0; d < n; d++) {
      if (o === d) continue;
      const p = pairIndex(n, o, d);
      origin[p] = o;
      destination[p] = d;
      paths[p] = kShortestPaths(topo, o, d, k);
    }
  }
  const set: PathSet = { k, paths, origin, destination };
  byK.set(k, set);
  return set;
}

/** ECMP link loads of a demand matrix (n×n row-major, same units as the result). */
export function ecmpLoads(topo: Topology, demand: Float64Array, out = new Float64Array(topo.numLinks)): Float64Array {
  out.fill(0);
  const n = topo.n;
  const flow = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const d = distancesTo(topo, t);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[b] - d[a]);
    for (let u = 0; u < n; u++) flow[u] = u === t ? 0 : demand[u * n + t];
    for (const u of order) {
      if (u === t || flow[u] === 0) continue;
      let hops = 0;
      for (const e of topo.out[u]) if (d[topo.dst[e]] === d[u] - 1) hops++;
      const share = flow[u] / hops;
      for (const e of topo.out[u]) {
        if (d[topo.dst[e]] !== d[u] - 1) continue;
        out[e] += share;
        flow[topo.dst[e]] += share;
      }
    }
  }
  return out;
}

/**
 * ECMP as weights over each pair's K paths: a shortest path gets the product of 1/(number of next hops)
 * along it; the weights of a pair sum to 1 exactly when every equal-hop shortest path of the pair is among
 * its K paths. Returns the weights (pairs × k, padding 0) and the pairs for which they do not sum to 1.
 */
export function ecmpPathWeights(topo: Topology, set: PathSet): { weights: Float64Array; uncovered: number[] } {
  const n = topo.n;
  const k = set.k;
  const weights = new Float64Array(set.paths.length * k);
  const uncovered: number[] = [];
  const dist: Int32Array[] = Array.from({ length: n }, (_, t) => distancesTo(topo, t));
  const nextHops = (u: number, t: number) => topo.out[u].filter((e) => dist[t][topo.dst[e]] === dist[t][u] - 1).length;
  set.paths.forEach((paths, p) => {
    const t = set.destination[p];
    let sum = 0;
    paths.forEach((path, i) => {
      if (path.links.length !== dist[t][set.origin[p]]) return;
      let w = 1;
      for (let j = 0; j < path.links.length; j++) w /= nextHops(path.nodes[j], t);
      weights[p * k + i] = w;
      sum += w;
    });
    if (Math.abs(sum - 1) > 1e-12) uncovered.push(p);
  });
  return { weights, uncovered };
}
