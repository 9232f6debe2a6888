/** Small statistics over rollout arrays, shared by the learning algorithms. */

/** Arithmetic mean; NaN for an empty array. */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : NaN;
}

/**
 * (x − mean) / (std + 1e-8) in place, with the unbiased std, as CleanRL and Stable-Baselines3 normalise
 * advantages (torch's `std()` is unbiased).
 */
export function normalizeInPlace(x: Float32Array): void {
  const n = x.length;
  const m = mean(x);
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - m) ** 2;
  const std = Math.sqrt(v / Math.max(1, n - 1));
  for (let i = 0; i < n; i++) x[i] = (x[i] - m) / (std + 1e-8);
}
