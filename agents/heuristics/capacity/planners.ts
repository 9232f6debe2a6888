/**
 * The capacity-planning baselines of CapacityPlanning-v0. Each reads the state view `info.capacity` (the
 * raw demand history D_0 … D_t, the prices and q* = (b − c)/b, the lead time L) and names the capacity it
 * wants for the target period t + L; `actionForCapacity` turns that into the env's action (a fraction of
 * maxCapacity, or the nearest valid multiplier of the last demand). In purchase mode the env buys what the
 * earlier purchases do not already hold.
 * - `peak`: the largest demand seen so far (provisioning for the peak).
 * - `last-value`: D_t (the naive forecast).
 * - `seasonal-naive` (`period` s, default the series' season: 7 for daily values, 1 without): the demand one
 *   or more whole seasons before the target, D_{t+L−s·⌈L/s⌉}.
 * - `moving-max` (`window` W = 7): the largest of the last W demands.
 * - `empirical-newsvendor` (`window` W = 28): the q*-quantile of the last W demands (the smallest value
 *   whose empirical CDF reaches q*), the newsvendor's optimum for that sample.
 * - `ewma` (`alpha` 0.3): an exponentially weighted mean m and standard deviation σ of the one-step errors
 *   over the whole history, plus k·σ with k = Φ⁻¹(q*).
 * - `autopilot` (`halfLife` 7 periods, `margin` 0): Google Autopilot's recommender (Rzadca et al.,
 *   "Autopilot: workload autoscaling at Google", EuroSys 2020, §4.1): the q*-percentile of a histogram of
 *   past demand whose samples' weights halve every half-life (one bucket per sample, i.e. the exact weighted
 *   percentile; samples older than 40 half-lives, weight < 1e-12, are left out), times (1 + margin).
 * - `oracle`: D_{t+L} in hindsight (cost ratio 1 in rental mode): the lower bound, not a policy.
 * - `analytic-optimal`: the known optimum of the synthetic processes. Rental: the conditional q*-quantile
 *   given the history, μ + φ^L(D_t − μ) + σ_L·Φ⁻¹(q*) with σ_L² = σ²(1 − φ^{2L})/(1 − φ²) for AR(1);
 *   the smallest R with P(D ≤ R) ≥ q* for Poisson. Purchase mode with Poisson demand: the exact DP's policy
 *   (envs/capacity/purchase-dp.ts; demand support ≤ 31 values, L ≤ 2, commitPeriods ≤ 3).
 */
import { OptionError } from '../../../core/errors.js';
import { opt, OptionProblem, parseOptions } from '../../../core/options.js';
import { ar1OptimalReservation, empiricalQuantile, normalQuantile, poissonOptimalReservation } from '../../../envs/capacity/newsvendor.js';
import { PURCHASE_DP_LIMITS, solvePurchaseDp, truncatedPoissonPmf, type PurchaseDpSolution } from '../../../envs/capacity/purchase-dp.js';
import { actionForCapacity, readCapacityState, type CapacityState } from '../../../envs/capacity/state-view.js';
import type { Env } from '../../../envs/core/env.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';
import { registerAgent } from '../../core/registry.js';
import { capacityEnv, supportsCapacity } from './supports.js';

/** A planner: the capacity wanted for the target period, from the state view. */
export abstract class CapacityPlanner extends HeuristicAgent<Float32Array, Float32Array | number> {
  abstract plan(view: CapacityState): number;

  act(_observation: Float32Array, options: ActOptions = {}): Float32Array | number {
    const view = readCapacityState(options.info, this.name);
    return actionForCapacity(view, this.plan(view));
  }
}

/** A planner from a plain function of the view. */
class FunctionPlanner extends CapacityPlanner {
  constructor(
    name: string,
    options: Record<string, unknown>,
    private readonly fn: (view: CapacityState) => number,
  ) {
    super(name, options);
  }

  plan(view: CapacityState): number {
    return this.fn(view);
  }
}

function lastN(view: CapacityState, n: number): Float64Array {
  const d = view.demands;
  return d.subarray(Math.max(0, d.length - n));
}

export const seasonalNaiveOptions = {
  period: opt.custom<number | null>(null, "null (the series' season) or an integer >= 1", (v) => {
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new OptionProblem(`is ${JSON.stringify(v)}`);
    return v;
  }),
};
export const movingMaxOptions = { window: opt.int(7, { min: 1 }) };
export const empiricalNewsvendorOptions = { window: opt.int(28, { min: 1 }) };
export const ewmaOptions = { alpha: opt.number(0.3, { min: 0, max: 1, minExclusive: true }) };
export const autopilotOptions = { halfLife: opt.number(7, { min: 0, minExclusive: true }), margin: opt.number(0, { min: 0 }) };

export function seasonalNaive(view: CapacityState, period: number | null): number {
  const s = period ?? view.season;
  const lag = s * Math.ceil(Math.max(view.leadTime, 1) / s);
  const i = view.target - lag;
  return i >= 0 && i <= view.time ? view.demands[i] : view.lastDemand;
}

export function ewmaPlan(view: CapacityState, alpha: number): number {
  const d = view.demands;
  let m = d[0];
  let v = 0;
  for (let i = 1; i < d.length; i++) {
    const e = d[i] - m;
    v = (1 - alpha) * v + alpha * e * e;
    m += alpha * e;
  }
  return m + normalQuantile(view.criticalRatio) * Math.sqrt(v);
}

/** Autopilot's decayed-histogram percentile: weights 2^{−age/halfLife}, the smallest x whose weight share reaches q. */
export function autopilotPlan(view: CapacityState, halfLife: number, margin: number): number {
  const d = view.demands;
  const n = Math.min(d.length, Math.ceil(40 * halfLife) + 1);
  const first = d.length - n;
  const decay = 2 ** (-1 / halfLife);
  const w = new Float64Array(n);
  let total = 0;
  for (let j = n - 1, wj = 1; j >= 0; j--, wj *= decay) {
    w[j] = wj;
    total += wj;
  }
  const idx = Array.from({ length: n }, (_, j) => j);
  idx.sort((a, b) => d[first + a] - d[first + b]);
  let acc = 0;
  const need = view.criticalRatio * total * (1 - 1e-12);
  for (const j of idx) {
    acc += w[j];
    if (acc >= need) return d[first + j] * (1 + margin);
  }
  return d[first + idx[n - 1]] * (1 + margin);
}

const simple: { name: string; description: string; make: (options: Record<string, unknown>) => CapacityPlanner }[] = [
  {
    name: 'peak',
    description: 'the largest demand seen so far',
    make: (o) => new FunctionPlanner('peak', parseOptions('peak', o, {}), (v) => v.demands.reduce((a, b) => Math.max(a, b), 0)),
  },
  {
    name: 'last-value',
    description: 'the last observed demand',
    make: (o) => new FunctionPlanner('last-value', parseOptions('last-value', o, {}), (v) => v.lastDemand),
  },
  {
    name: 'seasonal-naive',
    description: "the demand whole seasons before the target (option period; null: the series' season)",
    make: (o) => {
      const p = parseOptions('seasonal-naive', o, seasonalNaiveOptions);
      return new FunctionPlanner('seasonal-naive', p, (v) => seasonalNaive(v, p.period));
    },
  },
  {
    name: 'moving-max',
    description: 'the largest of the last W demands (option window, 7)',
    make: (o) => {
      const p = parseOptions('moving-max', o, movingMaxOptions);
      return new FunctionPlanner('moving-max', p, (v) => lastN(v, p.window).reduce((a, b) => Math.max(a, b), 0));
    },
  },
  {
    name: 'empirical-newsvendor',
    description: 'the q*-quantile of the last W demands (option window, 28)',
    make: (o) => {
      const p = parseOptions('empirical-newsvendor', o, empiricalNewsvendorOptions);
      return new FunctionPlanner('empirical-newsvendor', p, (v) => empiricalQuantile(lastN(v, p.window), v.criticalRatio));
    },
  },
  {
    name: 'ewma',
    description: 'an exponentially weighted mean plus Φ⁻¹(q*) weighted standard deviations of its errors (option alpha, 0.3)',
    make: (o) => {
      const p = parseOptions('ewma', o, ewmaOptions);
      return new FunctionPlanner('ewma', p, (v) => ewmaPlan(v, p.alpha));
    },
  },
  {
    name: 'autopilot',
    description:
      "Google Autopilot's recommender: the q*-percentile of an exponentially decayed histogram of past demand (options halfLife 7, margin 0)",
    make: (o) => {
      const p = parseOptions('autopilot', o, autopilotOptions);
      return new FunctionPlanner('autopilot', p, (v) => autopilotPlan(v, p.halfLife, p.margin));
    },
  },
  {
    name: 'oracle',
    description: 'the target period’s demand in hindsight (the lower bound)',
    make: (o) => new FunctionPlanner('oracle', parseOptions('oracle', o, {}), (v) => v.hindsightDemand),
  },
];

for (const s of simple) {
  registerAgent({
    name: s.name,
    kind: 'heuristic',
    priority: 1,
    description: `${s.description} (CapacityPlanning-v0)`,
    supports: supportsCapacity,
    create: (_env, options) => s.make(options),
  });
}

/** `analytic-optimal`: the known optimum of the synthetic processes (see the module comment). */
export class AnalyticOptimalPlanner extends CapacityPlanner {
  private readonly dp: PurchaseDpSolution | null;
  private readonly horizon: number;

  constructor(env: Env<any, any>) {
    super('analytic-optimal', {});
    const inner = capacityEnv(env)!;
    const o = inner.options;
    this.horizon = o.episodeLength;
    this.dp = null;
    if (o.mode === 'purchase') {
      if (inner.model.type !== 'poisson') {
        throw new OptionError(
          'demand',
          `is '${o.demand}' in purchase mode`,
          "'poisson' (the exact DP's demand) in purchase mode, or rental mode",
          'analytic-optimal',
        );
      }
      this.dp = purchaseDp(
        inner.model.lambda,
        o.reservedPrice,
        o.onDemandPrice,
        inner.maxCapacity,
        o.commitPeriods,
        o.leadTime,
        o.episodeLength,
      );
    }
  }

  plan(view: CapacityState): number {
    const m = view.model;
    if (this.dp) return this.dp.level(this.horizon - view.stepsLeft, view.committedFromTarget);
    if (m.type === 'ar1') return ar1OptimalReservation(view.lastDemand, m, view.leadTime, view.criticalRatio);
    if (m.type === 'poisson') return poissonOptimalReservation(m.lambda, view.criticalRatio);
    throw new OptionError('demand', `is the series '${m.name}'`, "'ar1' or 'poisson'", 'analytic-optimal');
  }
}

const dpCache = new Map<string, PurchaseDpSolution>();

/** The purchase DP for Poisson(λ) demand, cached per instance. */
export function purchaseDp(
  lambda: number,
  c: number,
  b: number,
  maxCapacity: number,
  commitPeriods: number,
  leadTime: number,
  horizon: number,
): PurchaseDpSolution {
  const key = JSON.stringify([lambda, c, b, maxCapacity, commitPeriods, leadTime, horizon]);
  let s = dpCache.get(key);
  if (!s) {
    s = solvePurchaseDp({
      pmf: truncatedPoissonPmf(lambda),
      reservedPrice: c,
      onDemandPrice: b,
      maxLevel: maxCapacity,
      commitPeriods,
      leadTime,
      horizon,
    });
    dpCache.set(key, s);
  }
  return s;
}

registerAgent({
  name: 'analytic-optimal',
  kind: 'heuristic',
  priority: 1,
  description: `the known optimum on the synthetic demands: the conditional q*-quantile (AR(1), Poisson) in rental mode; the exact DP's policy in purchase mode with Poisson demand (support <= ${PURCHASE_DP_LIMITS.support + 1} values, L <= ${PURCHASE_DP_LIMITS.leadTime}, commitPeriods <= ${PURCHASE_DP_LIMITS.commitPeriods}) (CapacityPlanning-v0)`,
  supports: (env) => {
    const why = supportsCapacity(env);
    if (why) return why;
    const inner = capacityEnv(env)!;
    if (inner.model.type === 'series') return `it needs a known demand process ('ar1' or 'poisson'), not the series '${inner.model.name}'`;
    if (inner.options.mode === 'purchase' && inner.model.type !== 'poisson')
      return "in purchase mode it needs 'poisson' demand (the exact DP)";
    return null;
  },
  create: (env, options) => {
    parseOptions('analytic-optimal', options, {});
    return new AnalyticOptimalPlanner(env);
  },
});
