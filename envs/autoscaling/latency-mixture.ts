/**
 * The response-time distribution the analytic model predicts over a stretch of time: a mixture of
 * M/M/c steady-state parts and fluid-backlog parts (a deterministic wait behind the backlog, then an
 * exponential service), weighted by how many requests each part served. Percentiles of the mixture come
 * from bisection on its survival function.
 */
import { quantileOfSurvival, responseSurvival } from './erlang.js';

export type LatencyComponent =
  /** Requests served in M/M/c steady state. */
  | { kind: 'mmc'; weight: number; pWait: number; theta: number; mu: number }
  /** Requests that waited `shift` seconds behind a backlog, then an Exp(μ) service. */
  | { kind: 'shifted'; weight: number; shift: number; mu: number };

export function componentMean(c: LatencyComponent): number {
  return c.kind === 'mmc' ? c.pWait / c.theta + 1 / c.mu : c.shift + 1 / c.mu;
}

function componentSurvival(c: LatencyComponent, t: number): number {
  if (c.kind === 'mmc') return responseSurvival(t, c.pWait, c.theta, c.mu);
  return t < c.shift ? 1 : Math.exp(-c.mu * (t - c.shift));
}

export class LatencyMixture {
  readonly components: LatencyComponent[] = [];
  private totalWeight = 0;

  add(c: LatencyComponent): void {
    if (!(c.weight > 0)) return;
    this.components.push(c);
    this.totalWeight += c.weight;
  }

  addAll(other: LatencyMixture): void {
    for (const c of other.components) this.add(c);
  }

  /** Requests the mixture describes. */
  get weight(): number {
    return this.totalWeight;
  }

  mean(): number {
    if (this.totalWeight === 0) return 0;
    let s = 0;
    for (const c of this.components) s += c.weight * componentMean(c);
    return s / this.totalWeight;
  }

  survival(t: number): number {
    let s = 0;
    for (const c of this.components) s += c.weight * componentSurvival(c, t);
    return s / this.totalWeight;
  }

  /** The q-quantile of the response time; 0 when no request was served. */
  percentile(q: number): number {
    if (this.totalWeight === 0) return 0;
    let scale = 0;
    for (const c of this.components) scale = Math.max(scale, componentMean(c));
    return quantileOfSurvival((t) => this.survival(t), q, scale);
  }
}
