/**
 * The exact optimum of CapacityPlanning-v0 in `purchase` mode on small instances, by backward dynamic
 * programming over the episode's decisions.
 *
 * Model (the env's, see capacity-planning.ts): i.i.d. integer demand with a known pmf on {0, …, K}; at
 * decision k the planner names the capacity ℓ wanted for its target period, the env buys q = ℓ − s_0 ≥ 0
 * (s_0 = what earlier purchases already hold then), and a purchase holds for C = commitPeriods periods. The
 * state is s = (s_0, …, s_{C−2}), the capacity earlier purchases hold for the target period and the C − 2
 * after it (non-increasing, since purchases expire); the stage cost is
 * g(ℓ) = c·ℓ + b·E(D − ℓ)⁺ and the next state is (s_1 + q, …, s_{C−2} + q, q). Capacities are integers in
 * [0, M], M = ⌊maxCapacity⌋; with integer demand an integer level is optimal (the expected stage cost is
 * piecewise linear with kinks at the integers). V_T = 0: capacity beyond the horizon is not charged, as in
 * the env. With i.i.d. demand the lead time only shifts which periods are decided, and since the state
 * evolves without the demand and capacity is charged per period held, the optimum keeps the newsvendor
 * level every period (topping up what expires): the DP's value is the horizon times the newsvendor's
 * expected cost (tested). It is exact for the env's purchase mode and checks its accounting; a commitment
 * that binds needs demand with memory, which this DP does not model.
 *
 * Scope: K ≤ 30 (demand support), L ≤ 2, C ≤ 3; larger instances are refused (the state space grows as
 * (M + 1)^{C−1}).
 */
import { OptionError } from '../../core/errors.js';

export interface PurchaseDpInstance {
  /** P(D = k), k = 0 … K. */
  pmf: ArrayLike<number>;
  reservedPrice: number;
  onDemandPrice: number;
  /** Largest capacity level (integer). */
  maxLevel: number;
  commitPeriods: number;
  leadTime: number;
  /** Decisions in the episode. */
  horizon: number;
}

export interface PurchaseDpSolution {
  /** Expected total cost of the episode from nothing committed, in cost units (c·R + b·shortfall summed). */
  value: number;
  /** The optimal capacity level at decision k for committed levels s (integers; s.length ≥ C − 1). */
  level(k: number, committed: ArrayLike<number>): number;
  /** The expected stage cost g(ℓ). */
  stageCost(level: number): number;
  readonly states: number;
}

export const PURCHASE_DP_LIMITS = { support: 30, leadTime: 2, commitPeriods: 3 } as const;

export function solvePurchaseDp(inst: PurchaseDpInstance): PurchaseDpSolution {
  const K = inst.pmf.length - 1;
  const C = inst.commitPeriods;
  const M = Math.floor(inst.maxLevel);
  const T = inst.horizon;
  if (K > PURCHASE_DP_LIMITS.support)
    throw new OptionError(
      'demand',
      `has a support of ${K + 1} values (0…${K})`,
      `a support of at most ${PURCHASE_DP_LIMITS.support + 1} values (0…${PURCHASE_DP_LIMITS.support}) for the exact purchase DP`,
      'purchase DP',
    );
  if (inst.leadTime > PURCHASE_DP_LIMITS.leadTime)
    throw new OptionError(
      'leadTime',
      `is ${inst.leadTime}`,
      `at most ${PURCHASE_DP_LIMITS.leadTime} for the exact purchase DP`,
      'purchase DP',
    );
  if (C < 1 || C > PURCHASE_DP_LIMITS.commitPeriods)
    throw new OptionError('commitPeriods', `is ${C}`, `1 to ${PURCHASE_DP_LIMITS.commitPeriods} for the exact purchase DP`, 'purchase DP');
  if (M < 0) throw new OptionError('maxCapacity', `is ${inst.maxLevel}`, 'a number >= 0', 'purchase DP');
  const c = inst.reservedPrice;
  const b = inst.onDemandPrice;
  // g(ℓ) for ℓ = 0 … M.
  const g = new Float64Array(M + 1);
  for (let l = 0; l <= M; l++) {
    let short = 0;
    for (let d = l + 1; d <= K; d++) short += inst.pmf[d] * (d - l);
    g[l] = c * l + b * short;
  }
  const dims = C - 1;
  const base = M + 1;
  const nStates = base ** dims;
  // policy[k][state] = level; values of stage k+1 kept while stage k is computed.
  const policy: Int16Array[] = [];
  let next = new Float64Array(nStates); // V_T = 0
  const s = new Int32Array(Math.max(dims, 1));
  for (let k = T - 1; k >= 0; k--) {
    const cur = new Float64Array(nStates).fill(Infinity);
    const pol = new Int16Array(nStates);
    for (let idx = 0; idx < nStates; idx++) {
      let r = idx;
      for (let j = 0; j < dims; j++) {
        s[j] = r % base;
        r = Math.floor(r / base);
      }
      let ok = true;
      for (let j = 1; j < dims; j++) if (s[j] > s[j - 1]) ok = false;
      if (!ok) continue; // unreachable (committed capacity never increases ahead)
      const s0 = dims > 0 ? s[0] : 0;
      let best = Infinity;
      let bestL = s0;
      for (let l = s0; l <= M; l++) {
        const q = l - s0;
        let nidx = 0;
        let mul = 1;
        for (let j = 0; j < dims; j++) {
          const v = (j + 1 < dims ? s[j + 1] : 0) + q;
          nidx += v * mul;
          mul *= base;
        }
        const v = g[l] + next[nidx];
        if (v < best - 1e-12) {
          best = v;
          bestL = l;
        }
      }
      cur[idx] = best;
      pol[idx] = bestL;
    }
    policy[k] = pol;
    next = cur;
  }
  const value = next[0];
  return {
    value,
    states: nStates,
    stageCost: (l) => g[Math.max(0, Math.min(M, Math.round(l)))],
    level: (k, committed) => {
      let idx = 0;
      let mul = 1;
      for (let j = 0; j < dims; j++) {
        idx += Math.max(0, Math.min(M, Math.round(committed[j] ?? 0))) * mul;
        mul *= base;
      }
      return policy[Math.max(0, Math.min(T - 1, k))][idx];
    },
  };
}

/** Poisson(λ) on {0 … K}, K the smallest with P(D > K) < 1e-12, the tail lumped into K. */
export function truncatedPoissonPmf(lambda: number): Float64Array {
  const p: number[] = [];
  let logp = -lambda;
  let acc = 0;
  for (let k = 0; ; k++) {
    if (k > 0) logp += Math.log(lambda) - Math.log(k);
    const v = Math.exp(logp);
    p.push(v);
    acc += v;
    if (1 - acc < 1e-12 || k > 10_000) break;
  }
  p[p.length - 1] += Math.max(0, 1 - acc);
  return Float64Array.from(p);
}
