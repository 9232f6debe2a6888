/**
 * M/M/c queueing formulas of a replicated service (Kleinrock, "Queueing Systems" vol. 1, §3.5):
 * λ arrival rate, μ service rate of one replica, c replicas, a = λ/μ offered load, ρ = a/c.
 * Erlang B and C come from the stable recurrence, never from factorials, so c in the thousands is fine.
 */

/** Erlang B (blocking probability of M/M/c/c): B_0 = 1, B_k = a·B_{k−1} / (k + a·B_{k−1}). */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C, the probability that a request waits: C = B_c / (1 − ρ(1 − B_c)); 1 when ρ >= 1. */
export function erlangC(c: number, lambda: number, mu: number): number {
  if (lambda <= 0) return 0;
  const a = lambda / mu;
  const rho = a / c;
  if (rho >= 1) return 1;
  const b = erlangB(c, a);
  return b / (1 - rho * (1 - b));
}

/** The steady state of an M/M/c queue with ρ < 1. */
export interface MmcSteadyState {
  /** Probability of waiting (Erlang C). */
  pWait: number;
  /** Mean wait in queue W_q = P_W / (cμ − λ). */
  meanWait: number;
  /** Mean response time W_q + 1/μ. */
  meanResponse: number;
  /** Mean number waiting L_q = λ·W_q (Little). */
  meanQueue: number;
  /** Decay rate of the wait tail θ = cμ − λ. */
  theta: number;
}

export function mmcSteadyState(c: number, lambda: number, mu: number): MmcSteadyState {
  const theta = c * mu - lambda;
  if (!(theta > 0)) throw new RangeError(`M/M/c has no steady state for λ=${lambda} >= cμ=${c * mu}`);
  const pWait = erlangC(c, lambda, mu);
  const meanWait = pWait / theta;
  return { pWait, meanWait, meanResponse: meanWait + 1 / mu, meanQueue: lambda * meanWait, theta };
}

/**
 * P(R > t) for the response time R = W + S, S ~ Exp(μ), W the M/M/c wait:
 * (1 − P_W)e^{−μt} + P_W(θe^{−μt} − μe^{−θt})/(θ − μ), written as e^{−μt}(1 + P_W·μ·g(t)) with
 * g(t) = (1 − e^{−(θ−μ)t})/(θ − μ) through expm1, which is exact at and near θ = μ (g → t).
 * Far in the tail with θ < μ (a queue near saturation) e^{−(θ−μ)t} overflows; there the survival is
 * summed as the two exponentials, (1 − k)e^{−μt} + k·e^{−θt} with k = P_W·μ/(μ − θ), no cancellation.
 */
export function responseSurvival(t: number, pWait: number, theta: number, mu: number): number {
  if (t <= 0) return 1;
  const delta = theta - mu;
  if (delta * t < -500) {
    const k = (pWait * mu) / (mu - theta);
    return Math.min(1, (1 - k) * Math.exp(-mu * t) + k * Math.exp(-theta * t));
  }
  const g = delta === 0 ? t : -Math.expm1(-delta * t) / delta;
  return Math.min(1, Math.exp(-mu * t) * (1 + pWait * mu * g));
}

/** The q-quantile of a survival function S that decreases from 1 to 0: solves S(t) = 1 − q by bisection. */
export function quantileOfSurvival(survival: (t: number) => number, q: number, scale: number): number {
  const target = 1 - q;
  let hi = Math.max(scale, 1e-12);
  for (let i = 0; i < 200 && survival(hi) > target; i++) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (survival(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The q-quantile of the M/M/c response time (ρ < 1). */
export function mmcResponsePercentile(c: number, lambda: number, mu: number, q: number): number {
  const { pWait, theta } = mmcSteadyState(c, lambda, mu);
  return quantileOfSurvival((t) => responseSurvival(t, pWait, theta, mu), q, 1 / mu + 1 / theta);
}

/**
 * The smallest c in [minC, maxC] whose q-quantile response time is at most `slo`, or maxC when none is:
 * the sizing rule of the predictive autoscaler.
 */
export function smallestReplicasForSlo(lambda: number, mu: number, slo: number, q: number, minC: number, maxC: number): number {
  if (lambda <= 0) return minC;
  for (let c = Math.max(minC, Math.floor(lambda / mu) + 1); c <= maxC; c++) {
    if (mmcResponsePercentile(c, lambda, mu, q) <= slo) return c;
  }
  return maxC;
}
