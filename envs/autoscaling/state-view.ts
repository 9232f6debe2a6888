/**
 * The typed state view Autoscaling-v0 publishes as `info.autoscaling` on reset and every step, for
 * heuristics that need more than the observation (HPA reads ready/starting replicas and the utilization of
 * ready pods, as the Kubernetes controller does), and the one place that turns a desired replica count
 * into the env's action encoding. A view is data: a frozen snapshot of the state after that reset or step.
 */
import { SchedlabError } from '../../core/errors.js';
import type { Info } from '../core/env.js';

export type AutoscalingActionEncoding =
  /** Action a changes the requested replicas by a − maxStep: Discrete(2·maxStep + 1). */
  | { readonly type: 'delta'; readonly maxStep: number }
  /** Action a requests minReplicas + a replicas: Discrete(maxReplicas − minReplicas + 1). */
  | { readonly type: 'target' };

export interface AutoscalingState {
  /** Seconds since the episode's start, at the start of the coming interval. */
  readonly time: number;
  readonly controlInterval: number;
  readonly startupDelay: number;
  /** Requests per second one replica serves (μ). */
  readonly serviceRate: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly sloLatency: number;
  readonly sloPercentile: number;
  /** Replicas serving requests. */
  readonly readyReplicas: number;
  /** Replicas requested but not ready yet (starting up). */
  readonly startingReplicas: number;
  /** Requested replicas (ready + starting): Kubernetes' spec.replicas. */
  readonly replicas: number;
  /** Busy time over ready time of the ready replicas in the last interval, in [0, 1]. */
  readonly utilization: number;
  /** Arrival rate of the last interval (requests/s). */
  readonly arrivalRate: number;
  /** Arrival rates of the last `historyWindow` intervals, oldest first (requests/s). */
  readonly rateHistory: readonly number[];
  /** Requests waiting at the end of the last interval. */
  readonly queueLength: number;
  /** The SLO percentile of the response time over the last interval (s). */
  readonly latencyPercentile: number;
  readonly action: AutoscalingActionEncoding;
}

/** Reads the state view from an Autoscaling-v0 info; `who` names the reader in the error. */
export function readAutoscalingState(info: Info | undefined, who: string): AutoscalingState {
  const view = info?.autoscaling as AutoscalingState | undefined;
  if (!view || typeof view !== 'object' || typeof view.readyReplicas !== 'number') {
    throw new SchedlabError(
      `${who}: needs the info of the last reset/step with the Autoscaling-v0 state view (info.autoscaling); pass {info} to act()`,
    );
  }
  return view;
}

/** The action that asks for `desired` replicas (clamped to the bounds and, for delta, to ±maxStep). */
export function actionForReplicas(view: AutoscalingState, desired: number): number {
  const target = Math.min(view.maxReplicas, Math.max(view.minReplicas, Math.round(desired)));
  if (view.action.type === 'target') return target - view.minReplicas;
  const { maxStep } = view.action;
  return Math.min(maxStep, Math.max(-maxStep, target - view.replicas)) + maxStep;
}
