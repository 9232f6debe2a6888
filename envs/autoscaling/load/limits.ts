/**
 * Upper limits of Autoscaling-v0 and MicroserviceAutoscaling-v0 that keep memory and time bounded: the
 * load of an episode is binned into one rate per control interval up front, and the DES latency model
 * simulates every request. Far above any realistic setting (the defaults: 120 intervals, about 10^4
 * requests per episode); errors name the limit and what to change.
 */
import { OptionError } from '../../../core/errors.js';

export const AUTOSCALING_LIMITS = {
  maxReplicas: 100_000,
  queueCapacity: 10_000_000,
  maxStep: 100_000,
  historyWindow: 100_000,
  /** Control intervals per episode plus the history window: one rate each, held in memory. */
  intervals: 10_000_000,
  /** Expected requests in an episode (history included) simulated one by one with latencyModel 'des'. */
  desRequests: 100_000_000,
} as const;

/** Throws when episodeLength / controlInterval + historyWindow exceeds the interval limit. */
export function checkIntervals(steps: number, historyWindow: number, owner: string): void {
  const n = steps + historyWindow;
  if (n > AUTOSCALING_LIMITS.intervals) {
    throw new OptionError(
      'episodeLength',
      `/ controlInterval = ${steps} intervals (plus historyWindow ${historyWindow}), above the limit of ${AUTOSCALING_LIMITS.intervals} intervals per episode`,
      `a shorter episodeLength or a longer controlInterval (at most ${AUTOSCALING_LIMITS.intervals} intervals)`,
      owner,
    );
  }
}

/** Throws when an episode's expected requests (Σ rate · dt) exceed what the DES model simulates one by one. */
export function checkDesRequests(rates: ArrayLike<number>, dt: number, owner: string): void {
  let expected = 0;
  for (let k = 0; k < rates.length; k++) expected += rates[k] * dt;
  if (expected > AUTOSCALING_LIMITS.desRequests) {
    throw new OptionError(
      'latencyModel',
      `is 'des', which simulates every request, but this episode's load brings ${expected.toExponential(2)} requests, above the limit of ${AUTOSCALING_LIMITS.desRequests.toExponential(0)}`,
      "latencyModel 'mmc' (a fluid model, any load), or a lower load rate or a shorter episodeLength",
      owner,
    );
  }
}
