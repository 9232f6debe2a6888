import { describe, expect, it } from 'vitest';
import { computePaths, ecmpLoads, ecmpPathWeights, kShortestPaths, pairIndex } from '../../../envs/traffic/paths.js';
import { loadTopology, type Topology } from '../../../envs/traffic/topology.js';

/** Every simple path from s to t, sorted by (hops, lexicographic node sequence): the definition. */
function allPathsSorted(topo: Topology, s: number, t: number): number[][] {
  const out: number[][] = [];
  const walk = (path: number[]) => {
    const u = path[path.length - 1];
    if (u === t) return void out.push([...path]);
    // every simple path (12-node graphs)
    for (const e of topo.out[u]) {
      const v = topo.dst[e];
      if (!path.includes(v)) walk([...path, v]);
    }
  };
  walk([s]);
  return out.sort((a, b) => {
    if (a.length !== b.length) return a.length - b.length;
    const i = a.findIndex((x, j) => x !== b[j]);
    return i < 0 ? 0 : a[i] - b[i];
  });
}

describe('K shortest paths (Yen, hops then lexicographic)', () => {
  it.each(['b4', 'abilene'] as const)('%s: Yen gives exactly the first K paths of the sorted enumeration, for every pair', (name) => {
    const topo = loadTopology(name);
    const k = 4;
    for (let s = 0; s < topo.n; s++) {
      for (let t = 0; t < topo.n; t++) {
        if (s === t) continue;
        const expected = allPathsSorted(topo, s, t).slice(0, k);
        const got = kShortestPaths(topo, s, t, k);
        expect(got.map((p) => p.nodes)).toEqual(expected);
        for (const p of got) {
          // Links follow the nodes.
          p.links.forEach((e, j) => {
            expect(topo.src[e]).toBe(p.nodes[j]);
            expect(topo.dst[e]).toBe(p.nodes[j + 1]);
          });
        }
      }
    }
  });

  it('fewer than K paths when fewer exist (Abilene s1 hangs off s2 alone), and pair indices are row-major without the diagonal', () => {
    const topo = loadTopology('abilene');
    const set = computePaths(topo, 4);
    const p = pairIndex(topo.n, 0, 1);
    expect(set.paths[p]).toHaveLength(1);
    expect(set.paths[p][0].nodes).toEqual([0, 1]);
    expect(pairIndex(12, 0, 1)).toBe(0);
    expect(pairIndex(12, 1, 0)).toBe(11);
    expect(pairIndex(12, 11, 10)).toBe(131);
    expect(set.origin[pairIndex(12, 5, 3)]).toBe(5);
    expect(set.destination[pairIndex(12, 5, 3)]).toBe(3);
  });
});

describe('ECMP', () => {
  it.each(['b4', 'abilene'] as const)('%s: the link loads of hop-by-hop ECMP equal those of its weights over the K = 4 paths', (name) => {
    const topo = loadTopology(name);
    const set = computePaths(topo, 4);
    const { weights, uncovered } = ecmpPathWeights(topo, set);
    expect(uncovered).toEqual([]);
    // A deterministic non-uniform matrix.
    const n = topo.n;
    const demand = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) demand[i * n + j] = 1 + ((i * 7 + j * 3) % 5);
    const hop = ecmpLoads(topo, demand);
    const viaPaths = new Float64Array(topo.numLinks);
    set.paths.forEach((ps, p) =>
      ps.forEach((path, i) =>
        path.links.forEach((e) => (viaPaths[e] += weights[p * 4 + i] * demand[set.origin[p] * n + set.destination[p]])),
      ),
    );
    for (let e = 0; e < topo.numLinks; e++) expect(viaPaths[e]).toBeCloseTo(hop[e], 10);
  });

  it('with k = 1 some B4 pair has more equal-hop shortest paths than k: reported as uncovered', () => {
    const topo = loadTopology('b4');
    expect(ecmpPathWeights(topo, computePaths(topo, 1)).uncovered.length).toBeGreaterThan(0);
  });
});
