import { describe, expect, it } from 'vitest';
import { SchedlabError } from '../../../core/errors.js';
import { addRow, newLp, optDestinationAggregated, optPerCommodity, pathLp, solveLp } from '../../../envs/traffic/lp.js';
import { computePaths } from '../../../envs/traffic/paths.js';
import { loadTopology } from '../../../envs/traffic/topology.js';
import { loadTraffic, type GravityOptions } from '../../../envs/traffic/traffic.js';

const gravity: GravityOptions = { totalDemand: null, nodeWeights: null, gravitySeed: 0, gravityLength: 4 };

describe('the LP optimum (HiGHS)', () => {
  it('matches the reference anchors to 1e-9 relative: B4 matrix 0 and Abilene (five-minute) matrix 0', () => {
    const b4 = loadTopology('b4');
    const abilene = loadTopology('abilene');
    expect(b4.unit).toBe(5000);
    expect(abilene.unit).toBe(1e9);
    const b4m = loadTraffic('teal-b4-real', b4, 1, gravity).matrices[0];
    const abm = loadTraffic('yates-5min', abilene, 1, gravity).matrices[0];
    for (const [topo, m, anchor] of [
      [b4, b4m, 0.97605146275],
      [abilene, abm, 0.476810778133],
    ] as const) {
      expect(Math.abs(optDestinationAggregated(topo, m) / anchor - 1)).toBeLessThan(1e-9);
      expect(Math.abs(optPerCommodity(topo, m) / anchor - 1)).toBeLessThan(1e-9);
    }
  });

  // Every shipped matrix: the per-commodity and the destination-aggregated formulations agree, and the
  // path LP over the K = 4 paths reaches the same optimum (OPT_K = OPT on B4 and Abilene).
  it.each([
    ['b4', 'teal-b4-real', 36],
    ['abilene', 'yates-5min', 36],
    ['abilene', 'yates-hourly', 200],
  ] as const)(
    '%s / %s: the two formulations agree and OPT_K = OPT on all %i matrices',
    (name, traffic, count) => {
      const topo = loadTopology(name);
      const series = loadTraffic(traffic, topo, 1, gravity);
      expect(series.matrices).toHaveLength(count);
      const paths = computePaths(topo, 4);
      let worstFormulations = 0;
      let worstK = 0;
      for (const m of series.matrices) {
        const aggregated = optDestinationAggregated(topo, m);
        const perCommodity = optPerCommodity(topo, m);
        const optK = pathLp(topo, paths, m, false).mlu;
        expect(aggregated).toBeGreaterThan(0);
        worstFormulations = Math.max(worstFormulations, Math.abs(perCommodity / aggregated - 1));
        worstK = Math.max(worstK, Math.abs(optK / aggregated - 1));
      }
      expect(worstFormulations).toBeLessThan(1e-9);
      expect(worstK).toBeLessThan(1e-9);
    },
    600_000,
  );

  it('OPT_K ≥ OPT with fewer paths, and the tie-break split reaches OPT_K with the least hop-weighted volume', () => {
    const topo = loadTopology('b4');
    const m = loadTraffic('teal-b4-real', topo, 1, gravity).matrices[3];
    const opt = optDestinationAggregated(topo, m);
    const k1 = pathLp(topo, computePaths(topo, 1), m, false).mlu;
    expect(k1).toBeGreaterThan(opt * 1.01);
    const paths = computePaths(topo, 4);
    const plain = pathLp(topo, paths, m, false);
    const tie = pathLp(topo, paths, m, true);
    expect(Math.abs(tie.mlu / plain.mlu - 1)).toBeLessThan(1e-12);
    const volume = (split: Float64Array) => {
      let v = 0;
      paths.paths.forEach((ps, p) =>
        ps.forEach((path, i) => (v += split[p * 4 + i] * path.links.length * m[paths.origin[p] * topo.n + paths.destination[p]])),
      );
      return v;
    };
    expect(volume(tie.split)).toBeLessThanOrEqual(volume(plain.split) + 1e-9);
    // Each pair's weights are a distribution over its paths.
    for (let p = 0; p < paths.paths.length; p++) {
      let sum = 0;
      for (let i = 0; i < 4; i++) sum += tie.split[p * 4 + i];
      expect(sum).toBeCloseTo(1, 12);
    }
  });

  it('an infeasible LP is a SchedlabError naming the HiGHS status', () => {
    const lp = newLp(1);
    lp.cost[0] = 1;
    addRow(lp, [0], [1], -Infinity, -1); // x <= -1 with x >= 0
    expect(() => solveLp(lp, 'toy LP')).toThrow(SchedlabError);
    expect(() => solveLp(lp, 'toy LP')).toThrow(/toy LP: the LP has no optimum \(HiGHS status 'infeasible'\)/);
  });

  it('a pair with demand but no path makes the path LP fail clearly', () => {
    const topo = loadTopology('b4');
    const paths = computePaths(topo, 4);
    const broken = { ...paths, paths: paths.paths.map((ps, p) => (p === 5 ? [] : ps)) };
    const m = loadTraffic('teal-b4-real', topo, 1, gravity).matrices[0];
    expect(() => pathLp(topo, broken, m)).toThrow(/has demand but no path; the LP is infeasible/);
  });
});
