/**
 * The end-to-end response time of a chain in the analytic model: the sum of the services' response times,
 * each the mixture the fluid M/M/c model gives (latency-mixture.ts).
 * - Mean: the sum of the services' means, exactly.
 * - Distribution: the services' times are taken as independent, and the distribution of their sum is
 *   computed by numerical convolution on a grid. Independence is exact for single-replica services in
 *   steady state (Reich 1957: sojourn times of one customer in a tandem of ·/M/1 queues are independent)
 *   and an approximation for c > 1 (the DES simulates each request and is exact); the percentile of the
 *   sum is smaller than the sum of the services' percentiles, which the independence captures.
 * - Grid: each service's time is cut at its (1 − tail/n)-quantile, the total range T of the cut times
 *   split into GRID bins of width h = T/GRID; a service's probability mass in [kh, (k+1)h) comes from its
 *   exact survival function, the n mass vectors are convolved, and the sum's CDF is interpolated
 *   linearly between bin edges. Mass at bin midpoints biases each service's mean by O(h²) on a steep
 *   density; the grid is shifted so that its mean is the exact one. Relative percentile error against
 *   the closed-form Erlang and hypoexponential percentiles: about 1.5e-4 (3e-5 with 1024 bins, at four
 *   times the cost; tested); at most the tail mass is left out.
 * With one service the sum is that service's mixture, kept in its exact form.
 */
import { quantileOfSurvival } from './erlang.js';
import type { LatencyMixture } from './latency-mixture.js';

/** Bins over the range of the summed response times. */
export const GRID = 512;

/** A response-time distribution with the weight (requests) it describes. */
export interface LatencyDistribution {
  readonly weight: number;
  mean(): number;
  survival(t: number): number;
  percentile(q: number): number;
}

/** The sum of n >= 2 independent response times: a CDF on evenly spaced points. */
class GridSum implements LatencyDistribution {
  constructor(
    readonly weight: number,
    private readonly exactMean: number,
    /** cdf[j] = P(sum <= start + j·step); the CDF is 0 at start − step. */
    private readonly cdf: Float64Array,
    private readonly start: number,
    private readonly step: number,
  ) {}

  mean(): number {
    return this.exactMean;
  }

  cdfAt(t: number): number {
    const u = (t - this.start) / this.step;
    const cdf = this.cdf;
    if (u >= cdf.length - 1) return cdf[cdf.length - 1];
    if (u < 0) return Math.max(0, (1 + u) * cdf[0]);
    const j = Math.floor(u);
    return cdf[j] + (u - j) * (cdf[j + 1] - cdf[j]);
  }

  survival(t: number): number {
    return Math.max(0, 1 - this.cdfAt(t));
  }

  percentile(q: number): number {
    const cdf = this.cdf;
    let j = 0;
    while (j < cdf.length - 1 && cdf[j] < q) j++;
    const lo = j === 0 ? 0 : cdf[j - 1];
    const frac = cdf[j] > lo ? Math.min(1, Math.max(0, (q - lo) / (cdf[j] - lo))) : 1;
    return this.start + (j - 1 + frac) * this.step;
  }
}

/** Direct convolution of two mass vectors. */
function convolve(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    if (ai === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] += ai * b[j];
  }
  return out;
}

/**
 * The distribution of the sum of the services' response times (independent), weighted by `weight`
 * (the requests that left the chain). Services with no request in the interval add nothing. `tail` is
 * the probability mass the grid may leave out.
 */
export function sumOfResponseTimes(
  services: readonly LatencyMixture[],
  weight: number,
  tail: number,
  grid = GRID,
): LatencyDistribution | null {
  const parts = services.filter((m) => m.weight > 0);
  if (parts.length === 0 || !(weight > 0)) return null;
  if (parts.length === 1) return parts[0];
  const n = parts.length;
  const uppers = parts.map((m) => m.percentile(1 - tail / n));
  const h = uppers.reduce((a, b) => a + b, 0) / grid;
  let mass: Float64Array | null = null;
  // The mean of the bin midpoints (in bins), summed over the services.
  let gridMean = 0;
  for (let i = 0; i < n; i++) {
    const m = parts[i];
    const bins = Math.max(1, Math.ceil(uppers[i] / h));
    const pmf = new Float64Array(bins);
    let previous = 1;
    let total = 0;
    let first = 0;
    for (let k = 0; k < bins; k++) {
      const next = m.survival((k + 1) * h);
      const p = previous - next;
      pmf[k] = p;
      previous = next;
      total += p;
      first += p * (k + 0.5);
    }
    gridMean += first / total;
    mass = mass === null ? pmf : convolve(mass, pmf);
  }
  const cdf = mass!;
  for (let j = 1; j < cdf.length; j++) cdf[j] += cdf[j - 1];
  // cdf[j] sits at the right edge of sum bin j (n midpoints plus half a bin), shifted to the exact mean.
  const mean = parts.reduce((s, m) => s + m.mean(), 0);
  const start = mean + (n / 2 + 0.5 - gridMean) * h;
  return new GridSum(weight, mean, cdf, start, h);
}

/** The end-to-end latency over many intervals: the requests-weighted mixture of their distributions. */
export class EpisodeLatency {
  private parts: LatencyDistribution[] = [];
  private total = 0;

  add(d: LatencyDistribution | null): void {
    if (d === null || !(d.weight > 0)) return;
    this.parts.push(d);
    this.total += d.weight;
  }

  mean(): number {
    if (this.total === 0) return 0;
    let s = 0;
    for (const d of this.parts) s += d.weight * d.mean();
    return s / this.total;
  }

  percentile(q: number): number {
    if (this.total === 0) return 0;
    let scale = 0;
    for (const d of this.parts) scale = Math.max(scale, d.mean());
    const survival = (t: number) => {
      let s = 0;
      for (const d of this.parts) s += d.weight * d.survival(t);
      return s / this.total;
    };
    return quantileOfSurvival(survival, q, scale);
  }
}
