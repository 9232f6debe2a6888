/**
 * Sizing a chain of services by the queueing model: the cheapest replica counts (each replica costs the
 * same) whose per-service sloPercentile response times sum to at most the end-to-end SLO. The sum of the
 * services' percentiles bounds the percentile of the end-to-end sum from above for these light-tailed
 * times (it is the comonotone case), so the rule is on the safe side. The search is greedy on the marginal
 * gain: from the smallest stable count of every service, add a replica where it cuts the service's
 * percentile the most, until the sum meets the SLO (Fox 1966: greedy marginal allocation is optimal for
 * separable convex costs; the M/M/c percentile is convex decreasing in c). When the SLO is out of reach,
 * every loaded service runs at its maximum.
 * With one service it is smallestReplicasForSlo exactly.
 */
import { mmcResponsePercentile } from './erlang.js';

export interface ChainServiceSizing {
  /** Arrival rate to size for (requests/s). */
  lambda: number;
  /** Service rate of one replica. */
  mu: number;
  minReplicas: number;
  maxReplicas: number;
}

/** The q-quantile response time of c replicas; Infinity when they cannot keep up. */
function percentileOf(s: ChainServiceSizing, c: number, q: number): number {
  if (s.lambda <= 0) return mmcResponsePercentile(c, 0, s.mu, q);
  return c * s.mu > s.lambda ? mmcResponsePercentile(c, s.lambda, s.mu, q) : Infinity;
}

export function replicasForChainSlo(services: readonly ChainServiceSizing[], slo: number, q: number): number[] {
  const c = services.map((s) =>
    Math.min(s.maxReplicas, Math.max(s.minReplicas, s.lambda > 0 ? Math.floor(s.lambda / s.mu) + 1 : s.minReplicas)),
  );
  const p = services.map((s, i) => percentileOf(s, c[i], q));
  const total = () => p.reduce((a, b) => a + b, 0);
  while (total() > slo) {
    let best = -1;
    let bestGain = 0;
    let bestNext = 0;
    for (let i = 0; i < services.length; i++) {
      // An idle service's percentile is its service time's, whatever its size.
      if (c[i] >= services[i].maxReplicas || services[i].lambda <= 0) continue;
      const next = percentileOf(services[i], c[i] + 1, q);
      const gain = p[i] === Infinity ? (next === Infinity ? 0 : Infinity) : p[i] - next;
      if (gain > bestGain) {
        best = i;
        bestGain = gain;
        bestNext = next;
      }
    }
    if (best < 0) break;
    c[best]++;
    p[best] = bestNext;
  }
  // Out of reach: every loaded service at its maximum, as smallestReplicasForSlo does.
  if (total() > slo) services.forEach((s, i) => (c[i] = s.lambda > 0 ? s.maxReplicas : c[i]));
  return c;
}
