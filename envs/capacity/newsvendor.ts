/**
 * The newsvendor's mathematics behind CapacityPlanning-v0 and its known optima: the standard normal's
 * density, CDF and quantile, the critical ratio q* = (b − c)/b, the AR(1) conditional quantile and its
 * long-run cost ratio in closed form, and the Poisson newsvendor's exact optimum and expected cost.
 *
 * With reserved price c per unit of capacity per period and on-demand price b > c per unit of shortfall,
 * the cost of reserving R against demand D is c·R + b·(D − R)⁺ = c·D + b·pinball_{q*}(D, R), where
 * pinball_q(D, R) = q·(D − R)⁺ + (1 − q)·(R − D)⁺; its expectation is least at the q*-quantile of D's
 * (conditional) distribution (Arrow, Harris & Marschak 1951; Porteus, "Foundations of Stochastic
 * Inventory Theory", 2002, ch. 1). For D ~ N(m, s²) and R = m + s·z*, z* = Φ⁻¹(q*), the expected cost is
 * c·m + b·s·φ(z*), so against the hindsight oracle's c·D the long-run ratio is 1 + b·s·φ(z*)/(c·μ).
 */

/** q* = (b − c)/b, the critical ratio. */
export function criticalRatio(reservedPrice: number, onDemandPrice: number): number {
  return (onDemandPrice - reservedPrice) / onDemandPrice;
}

/** The standard normal density φ(z). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** The complementary error function, to about 1.2e-7 relative (Numerical Recipes' erfcc, Chebyshev). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * The standard normal quantile Φ⁻¹(p), 0 < p < 1: Wichura's AS 241 (PPND16, about 1e-16 relative), the
 * algorithm behind R's qnorm and SciPy's ndtri.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -val : val;
}

/** σ_L, the standard deviation of D_{t+L} given D_t for AR(1): σ·√((1 − φ^{2L})/(1 − φ²)) (σ·√L when φ² = 1). */
export function ar1LeadSigma(phi: number, sigma: number, leadTime: number): number {
  if (Math.abs(1 - phi * phi) < 1e-12) return sigma * Math.sqrt(leadTime);
  return sigma * Math.sqrt((1 - phi ** (2 * leadTime)) / (1 - phi * phi));
}

/** The conditional q*-quantile of D_{t+L} given D_t = last for AR(1): μ + φ^L(last − μ) + σ_L·Φ⁻¹(q*). */
export function ar1OptimalReservation(last: number, p: { mu: number; phi: number; sigma: number }, leadTime: number, q: number): number {
  return p.mu + p.phi ** leadTime * (last - p.mu) + ar1LeadSigma(p.phi, p.sigma, leadTime) * normalQuantile(q);
}

/** The long-run cost ratio of the AR(1) optimum in closed form: 1 + b·σ_L·φ(z*)/(c·μ). */
export function ar1OptimalCostRatio(
  p: { mu: number; phi: number; sigma: number },
  leadTime: number,
  reservedPrice: number,
  onDemandPrice: number,
): number {
  const z = normalQuantile(criticalRatio(reservedPrice, onDemandPrice));
  return 1 + (onDemandPrice * ar1LeadSigma(p.phi, p.sigma, leadTime) * normalPdf(z)) / (reservedPrice * p.mu);
}

/** P(D = k) for k = 0..kMax, D ~ Poisson(λ), by the stable recurrence from the mode's neighbourhood in log space. */
export function poissonPmf(lambda: number, kMax: number): Float64Array {
  const pmf = new Float64Array(kMax + 1);
  for (let k = 0; k <= kMax; k++) pmf[k] = Math.exp(k * Math.log(lambda) - lambda - logFactorial(k));
  if (lambda === 0) pmf[0] = 1;
  return pmf;
}

function logFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/** An upper end of the support that holds all but ~1e-15 of Poisson(λ)'s mass. */
export function poissonSupportBound(lambda: number): number {
  return Math.ceil(lambda + 12 * Math.sqrt(lambda) + 20);
}

/** The smallest integer R with P(D ≤ R) ≥ q for D ~ Poisson(λ): the discrete newsvendor's optimum. */
export function poissonOptimalReservation(lambda: number, q: number): number {
  const kMax = poissonSupportBound(lambda);
  const pmf = poissonPmf(lambda, kMax);
  let cdf = 0;
  for (let k = 0; k <= kMax; k++) {
    cdf += pmf[k];
    if (cdf >= q - 1e-12) return k;
  }
  return kMax;
}

/** E[c·R + b·(D − R)⁺] for D ~ Poisson(λ). */
export function poissonExpectedCost(lambda: number, reserved: number, reservedPrice: number, onDemandPrice: number): number {
  const kMax = poissonSupportBound(lambda);
  const pmf = poissonPmf(lambda, kMax);
  let shortfall = 0;
  for (let k = Math.floor(reserved) + 1; k <= kMax; k++) shortfall += pmf[k] * (k - reserved);
  return reservedPrice * reserved + onDemandPrice * shortfall;
}

/** The Poisson newsvendor's exact long-run cost ratio: E[cost at the optimum] / (c·λ). */
export function poissonOptimalCostRatio(lambda: number, reservedPrice: number, onDemandPrice: number): number {
  const r = poissonOptimalReservation(lambda, criticalRatio(reservedPrice, onDemandPrice));
  return poissonExpectedCost(lambda, r, reservedPrice, onDemandPrice) / (reservedPrice * lambda);
}

/** The q-quantile of `values` as the newsvendor reads an empirical distribution: the smallest x with F̂(x) ≥ q (⌈q·n⌉-th order statistic). */
export function empiricalQuantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length - 1e-9)));
  return sorted[k - 1];
}
