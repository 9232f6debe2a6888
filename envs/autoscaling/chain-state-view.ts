/**
 * The typed state view MicroserviceAutoscaling-v0 publishes as `info.microservices` on reset and every
 * step: the chain's end-to-end figures and, per service, an Autoscaling-v0 view (state-view.ts), so that
 * a single-service heuristic runs unchanged on each service (one HPA per service, as operators run them)
 * and `actionForReplicas` encodes each service's decision. A view is data: a frozen snapshot.
 */
import { SchedlabError } from '../../core/errors.js';
import type { Info } from '../core/env.js';
import { actionForReplicas, type AutoscalingState } from './state-view.js';

export interface MicroserviceAutoscalingState {
  /** Seconds since the episode's start, at the start of the coming interval. */
  readonly time: number;
  readonly controlInterval: number;
  /** The end-to-end latency SLO (s) on the sloPercentile. */
  readonly sloLatency: number;
  readonly sloPercentile: number;
  /** Arrival rate at the chain's entry over the last interval (requests/s). */
  readonly arrivalRate: number;
  /** Entry arrival rates of the last `historyWindow` intervals, oldest first (requests/s). */
  readonly rateHistory: readonly number[];
  /** The end-to-end SLO-percentile latency of the last interval (s). */
  readonly latencyPercentile: number;
  /**
   * One Autoscaling-v0 view per service, in chain order: its own replicas, rates, bounds, utilization,
   * queue and action encoding; `arrivalRate`, `rateHistory`, `sloLatency`, `sloPercentile` and
   * `latencyPercentile` are the chain's (its entry load, the rate every service carries in steady state,
   * and its end-to-end latency).
   */
  readonly services: readonly AutoscalingState[];
}

/** Reads the state view from a MicroserviceAutoscaling-v0 info; `who` names the reader in the error. */
export function readMicroserviceState(info: Info | undefined, who: string): MicroserviceAutoscalingState {
  const view = info?.microservices as MicroserviceAutoscalingState | undefined;
  if (!view || typeof view !== 'object' || !Array.isArray(view.services)) {
    throw new SchedlabError(
      `${who}: needs the info of the last reset/step with the MicroserviceAutoscaling-v0 state view (info.microservices); pass {info} to act()`,
    );
  }
  return view;
}

/** The MultiDiscrete action that asks for `desired[i]` replicas of service i (each clamped as actionForReplicas). */
export function actionForServices(view: MicroserviceAutoscalingState, desired: ArrayLike<number>): Int32Array {
  return Int32Array.from(view.services, (s, i) => actionForReplicas(s, desired[i]));
}
