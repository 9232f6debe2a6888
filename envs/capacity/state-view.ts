/**
 * The typed state view CapacityPlanning-v0 publishes as `info.capacity` on reset and every step, for the
 * planning heuristics (they need the raw demand history, the prices and the committed pipeline, not the
 * scaled observation), and the one place that turns a desired capacity into the env's action encoding.
 * The view is read-only data: `demands` is a window onto the env's series (a subarray), not a copy.
 */
import { SchedlabError } from '../../core/errors.js';
import type { Info } from '../core/env.js';

/** How demand is produced: a known process (for the analytic optimum) or a recorded series. */
export type DemandModel =
  { type: 'ar1'; mu: number; phi: number; sigma: number } | { type: 'poisson'; lambda: number } | { type: 'series'; name: string };

export type CapacityActionEncoding =
  /** Box(0, 1): the target capacity is action × maxCapacity. */
  | { type: 'continuous' }
  /** Discrete(n): the target capacity is multipliers[a] × lastDemand, masked where above maxCapacity. */
  | { type: 'discrete'; multipliers: readonly number[]; mask: Uint8Array };

export interface CapacityState {
  /** Index t of the last observed period in the episode's series. */
  readonly time: number;
  /** The period this decision is for: t + leadTime. */
  readonly target: number;
  /** Observed demands D_0 … D_t of the series, oldest first (read-only). */
  readonly demands: Float64Array;
  /** D_t. */
  readonly lastDemand: number;
  readonly leadTime: number;
  readonly mode: 'rental' | 'purchase';
  /** Periods a purchase stays (1 in rental mode). */
  readonly commitPeriods: number;
  /** c, per unit of capacity per period. */
  readonly reservedPrice: number;
  /** b, per unit of shortfall. */
  readonly onDemandPrice: number;
  /** q* = (b − c)/b. */
  readonly criticalRatio: number;
  readonly maxCapacity: number;
  /** The demand scale: the train-split mean (μ or λ for the synthetic processes). */
  readonly scale: number;
  /**
   * Capacity already committed for periods target, target + 1, …, target + commitPeriods − 1 by earlier
   * decisions (rental: [0]; purchase: what earlier purchases still hold then).
   */
  readonly committedFromTarget: readonly number[];
  /** Decisions left in the episode, this one included. */
  readonly stepsLeft: number;
  readonly model: DemandModel;
  /** The series' natural season in periods (7 for daily values, 1440 per-minute, 1 without). */
  readonly season: number;
  /** D_target, known only in hindsight: for the `oracle` baseline, never part of the observation. */
  readonly hindsightDemand: number;
  readonly action: CapacityActionEncoding;
}

/** Reads the state view from a CapacityPlanning-v0 info; `who` names the reader in the error. */
export function readCapacityState(info: Info | undefined, who: string): CapacityState {
  const view = info?.capacity as CapacityState | undefined;
  if (!view || typeof view !== 'object' || typeof view.maxCapacity !== 'number') {
    throw new SchedlabError(
      `${who}: needs the info of the last reset/step with the CapacityPlanning-v0 state view (info.capacity); pass {info} to act()`,
    );
  }
  return view;
}

/**
 * The action that asks for `capacity` for the target period: continuous, capacity / maxCapacity clipped to
 * [0, 1]; discrete, the valid multiplier of the last demand nearest to it (the lower one on ties).
 */
export function actionForCapacity(view: CapacityState, capacity: number): Float32Array | number {
  const want = Math.min(view.maxCapacity, Math.max(0, capacity));
  if (view.action.type === 'continuous') return Float32Array.of(view.maxCapacity > 0 ? want / view.maxCapacity : 0);
  const { multipliers, mask } = view.action;
  let best = 0;
  let bestGap = Infinity;
  for (let i = 0; i < multipliers.length; i++) {
    if (!mask[i]) continue;
    const gap = Math.abs(multipliers[i] * view.lastDemand - want);
    if (gap < bestGap - 1e-12) {
      best = i;
      bestGap = gap;
    }
  }
  return best;
}
