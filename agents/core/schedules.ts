/**
 * Hyperparameter schedules over training progress (Stable-Baselines3's `get_linear_fn`): a value
 * that moves linearly from `start` to `end` over the first `fraction` of training, then stays at `end`.
 */

/** The value at `progress` in [0, 1] (steps done / total steps). */
export function linearSchedule(start: number, end: number, fraction: number, progress: number): number {
  if (fraction <= 0 || progress >= fraction) return end;
  return start + (end - start) * (progress / fraction);
}
