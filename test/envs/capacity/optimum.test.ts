/**
 * The known optima of CapacityPlanning-v0 (issue 17's must-show items): on 'ar1' the analytic optimum's
 * long-run cost ratio equals 1 + b·σ_L·φ(z*)/(c·μ) within 3 standard errors and no baseline beats it beyond
 * noise; on 'poisson' the same against the discrete newsvendor's exact cost; in purchase mode the DP policy's
 * simulated cost matches the DP value (and the DP value is the least over every open-loop plan).
 */
import { describe, expect, it } from 'vitest';
import { purchaseDp } from '../../../agents/heuristics/capacity/index.js';
import { makeAgent } from '../../../agents/index.js';
import { CapacityPlanningEnv } from '../../../envs/capacity/index.js';
import {
  ar1LeadSigma,
  ar1OptimalCostRatio,
  criticalRatio,
  normalPdf,
  normalQuantile,
  poissonExpectedCost,
  poissonOptimalCostRatio,
  poissonOptimalReservation,
} from '../../../envs/capacity/newsvendor.js';
import { solvePurchaseDp, truncatedPoissonPmf } from '../../../envs/capacity/purchase-dp.js';

const BASELINES = ['peak', 'last-value', 'seasonal-naive', 'moving-max', 'empirical-newsvendor', 'ewma', 'autopilot'];

/** Per-episode total cost and oracle cost (cost units) of `agent` on `episodes` seeded episodes. */
function play(options: Record<string, unknown>, agentName: string, episodes: number, seed0 = 1000): { cost: number[]; oracle: number[] } {
  const env = new CapacityPlanningEnv(options);
  const agent = makeAgent(agentName, env, {}, { seed: 0 });
  const cost: number[] = [];
  const oracle: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let { observation, info } = env.reset({ seed: seed0 + e });
    agent.onEpisodeStart?.();
    let c = 0;
    let o = 0;
    for (;;) {
      const step = env.step(agent.act(observation, { info, deterministic: true }));
      c += step.info.cost as number;
      o += step.info.oracleCost as number;
      ({ observation, info } = step);
      if (step.terminated || step.truncated) break;
    }
    cost.push(c);
    oracle.push(o);
  }
  return { cost, oracle };
}

const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;

/** Σcost/Σoracle and its delta-method standard error over independent episodes. */
function ratioWithSe({ cost, oracle }: { cost: number[]; oracle: number[] }): { ratio: number; se: number } {
  const n = cost.length;
  const ratio = cost.reduce((a, b) => a + b, 0) / oracle.reduce((a, b) => a + b, 0);
  const resid = cost.map((c, i) => c - ratio * oracle[i]);
  const se = Math.sqrt(resid.reduce((a, r) => a + r * r, 0) / (n * (n - 1))) / mean(oracle);
  return { ratio, se };
}

/** Mean and standard error of the paired per-episode differences a − b. */
function pairedDiff(a: number[], b: number[]): { mean: number; se: number } {
  const d = a.map((x, i) => x - b[i]);
  const m = mean(d);
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (d.length - 1));
  return { mean: m, se: sd / Math.sqrt(d.length) };
}

describe('the newsvendor formulas', () => {
  it('normal quantile and closed-form AR(1) ratio', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(2 / 3)).toBeCloseTo(0.4307272992954576, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    expect(ar1LeadSigma(0.8, 10, 1)).toBe(10);
    expect(ar1LeadSigma(0.8, 10, 2)).toBeCloseTo(10 * Math.sqrt(1 + 0.64), 12);
    const z = normalQuantile(criticalRatio(1, 3));
    expect(ar1OptimalCostRatio({ mu: 100, phi: 0.8, sigma: 10 }, 1, 1, 3)).toBeCloseTo(1 + (3 * 10 * normalPdf(z)) / 100, 12);
  });

  it('Poisson newsvendor: the smallest R with P(D ≤ R) ≥ q*, and its cost is the least over R', () => {
    const r = poissonOptimalReservation(20, 2 / 3);
    expect(r).toBe(22); // P(D ≤ 21) = 0.6436, P(D ≤ 22) = 0.7208 for λ = 20
    for (const other of [r - 2, r - 1, r + 1, r + 2])
      expect(poissonExpectedCost(20, other, 1, 3)).toBeGreaterThan(poissonExpectedCost(20, r, 1, 3));
  });
});

describe("'ar1' (defaults, L = 1): analytic-optimal against the closed form", () => {
  const episodes = 400;
  const opt = play({ demand: 'ar1' }, 'analytic-optimal', episodes);

  it('its long-run cost ratio equals 1 + b·σ_L·φ(z*)/(c·μ) within 3 standard errors', () => {
    const { ratio, se } = ratioWithSe(opt);
    const closed = ar1OptimalCostRatio({ mu: 100, phi: 0.8, sigma: 10 }, 1, 1, 3);
    expect(closed).toBeCloseTo(1.1091, 4);
    expect(se).toBeLessThan(0.002);
    expect(Math.abs(ratio - closed)).toBeLessThan(3 * se);
  });

  it.each(BASELINES)('%s does not beat it beyond noise (paired over the same demand paths)', (name) => {
    const other = play({ demand: 'ar1' }, name, episodes);
    const d = pairedDiff(other.cost, opt.cost);
    expect(d.mean).toBeGreaterThan(-3 * d.se);
  });
});

describe("'poisson' (λ = 20): analytic-optimal against the discrete newsvendor's exact cost", () => {
  const episodes = 400;
  const opt = play({ demand: 'poisson' }, 'analytic-optimal', episodes);

  it('its long-run cost ratio equals the exact E[cost]/(c·λ) within 3 standard errors', () => {
    const { ratio, se } = ratioWithSe(opt);
    const exact = poissonOptimalCostRatio(20, 1, 3);
    expect(exact).toBeGreaterThan(1.2);
    expect(Math.abs(ratio - exact)).toBeLessThan(3 * se);
  });

  it.each(BASELINES)('%s does not beat it beyond noise', (name) => {
    const other = play({ demand: 'poisson' }, name, episodes);
    const d = pairedDiff(other.cost, opt.cost);
    expect(d.mean).toBeGreaterThan(-3 * d.se);
  });
});

describe('purchase mode: the exact DP', () => {
  it('its value is the least total over every open-loop plan on a tiny instance (brute force)', () => {
    // With i.i.d. demand the state (capacity committed ahead) evolves deterministically, so an optimal
    // policy is an open-loop plan of levels; enumerate every plan of purchases for 3 decisions.
    const pmf = [0.2, 0.5, 0.3];
    const inst = { pmf, reservedPrice: 1, onDemandPrice: 4, maxLevel: 3, commitPeriods: 2, leadTime: 1, horizon: 3 };
    const dp = solvePurchaseDp(inst);
    const g = (l: number) => inst.reservedPrice * l + inst.onDemandPrice * pmf.reduce((s, p, d) => s + p * Math.max(0, d - l), 0);
    let best = Infinity;
    for (let q0 = 0; q0 <= 3; q0++)
      for (let q1 = 0; q1 <= 3; q1++)
        for (let q2 = 0; q2 <= 3; q2++) {
          const levels = [q0, q0 + q1, q1 + q2];
          if (levels.some((l) => l > 3)) continue;
          best = Math.min(
            best,
            levels.reduce((s, l) => s + g(l), 0),
          );
        }
    expect(dp.value).toBeCloseTo(best, 12);
    // With i.i.d. demand and capacity charged per period held, the optimum keeps the newsvendor level every
    // period (topping up what expires), so the DP's value is the horizon times the newsvendor's cost.
    expect(dp.value).toBeCloseTo(3 * Math.min(...[0, 1, 2, 3].map(g)), 12);
  });

  it.each([
    [1, 3],
    [2, 2],
  ])(
    'L = %i, commitPeriods = %i: the DP policy simulated in the env matches the DP value; no baseline beats it beyond noise',
    (leadTime, commitPeriods) => {
      const options = { demand: 'poisson', lambda: 4, mode: 'purchase', commitPeriods, leadTime, episodeLength: 30 };
      const env = new CapacityPlanningEnv(options);
      const dp = purchaseDp(4, 1, 3, env.maxCapacity, commitPeriods, leadTime, 30);
      expect(truncatedPoissonPmf(4).length).toBeLessThanOrEqual(31);
      const episodes = 1500;
      const opt = play(options, 'analytic-optimal', episodes);
      const m = mean(opt.cost);
      const sd = Math.sqrt(opt.cost.reduce((s, x) => s + (x - m) ** 2, 0) / (episodes - 1));
      const se = sd / Math.sqrt(episodes);
      expect(Math.abs(m - dp.value)).toBeLessThan(3 * se);
      for (const name of ['empirical-newsvendor', 'autopilot', 'last-value']) {
        const other = play(options, name, 300);
        const d = pairedDiff(other.cost, opt.cost.slice(0, 300));
        expect(d.mean).toBeGreaterThan(-3 * d.se);
      }
    },
  );
});
