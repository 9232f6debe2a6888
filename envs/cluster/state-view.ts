/**
 * The typed state view ClusterScheduling-v0 publishes as `info.cluster` on reset and on every step, for
 * heuristics that need more than the observation (DeepRM's baselines read the machine and the job slots).
 * Each view is a fresh, frozen snapshot (data only; its arrays are copies): later steps do not change it,
 * and writing to it does not change the env.
 */
export interface ClusterStateView {
  /** Time steps elapsed in the episode (time advances on "do nothing" and on picks that place nothing). */
  readonly time: number;
  readonly numRes: number;
  readonly numSlots: number;
  /** Per slot: the job's length in steps, 0 when the slot is empty. */
  readonly slotLength: Readonly<Int32Array>;
  /** Per slot and resource, row-major (`slotDemand[slot * numRes + r]`): the job's demand, 0 when empty. */
  readonly slotDemand: Readonly<Int32Array>;
  /** Per slot: the step the job arrived at, −1 when empty. */
  readonly slotArrival: Readonly<Int32Array>;
  /** Per slot: 1 when its job fits now, i.e. in steps 0 … len − 1 (the action mask without "do nothing"). */
  readonly slotFits: Readonly<Uint8Array>;
  /** Free units of each resource at step 0 (now). */
  readonly freeNow: Readonly<Int32Array>;
  /** Jobs waiting in the backlog. */
  readonly backlog: number;
}

/** The view in `info`, or undefined when `info` holds none (another env, or an info from elsewhere). */
export function clusterStateView(info: { [key: string]: unknown } | undefined): ClusterStateView | undefined {
  const v = info?.cluster as ClusterStateView | undefined;
  return v && v.slotLength instanceof Int32Array ? v : undefined;
}
