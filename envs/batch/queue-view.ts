/**
 * The state view BatchScheduling-v0 publishes as `info.batch` on reset and every step, for schedulers that
 * need more than the observation (the whole queue, not only the visible window), and the env-level action
 * that such schedulers return.
 *
 * The view is data: a frozen snapshot of the state after the reset or step that returned it. Its arrays
 * are copies (a later step does not change them, and writing to them does not change the env); the trace
 * is shared and read-only. Nothing in it acts on the env: an action goes through `step()`.
 */
import { SchedlabError } from '../../core/errors.js';
import type { Info } from '../core/env.js';
import type { SwfTrace } from './swf-trace.js';

/** Typed arrays whose elements cannot be assigned through this type (the trace is shared by every env). */
export type ReadonlySwfTrace = {
  readonly [K in keyof SwfTrace]: SwfTrace[K] extends Float64Array | Int32Array ? Readonly<SwfTrace[K]> : SwfTrace[K];
};

export interface BatchQueueView {
  /** The trace: job attributes (submit, requestTime, procs, nodes, ...) indexed by trace job index. */
  readonly trace: ReadonlySwfTrace;
  /** Current simulated time (s). */
  readonly now: number;
  readonly freeNodes: number;
  /** Jobs waiting, however many (the window shows at most `queueSize` of them). */
  readonly queueLength: number;
  /** The trace index of the first job of this episode's sequence. */
  readonly sequenceStart: number;
  /**
   * Trace indices of every queued job, in the queue's current order: the order of the last queue-order
   * action (BatchQueueOrder) with later arrivals appended, FCFS where backfilling or no such action ordered
   * it. A stable sort of this array is what the priority rules rank.
   */
  readonly queue: Readonly<Int32Array>;
  /** Trace indices of the visible jobs by slot (the FCFS prefix of the queue): action k commits `window[k]`. */
  readonly window: Readonly<Int32Array>;
}

/**
 * BatchScheduling-v0's env-level action for schedulers that rank the whole queue (the priority heuristics),
 * beside the slot actions of Discrete(queueSize): `queueOrder` lists every queued job (the trace indices of
 * `info.batch.queue`, each once) in the order to run them. The env keeps its queue in that order (which
 * decides ties of later ranks, and of equal submit times in the backfilling scan) and commits its first job.
 */
export interface BatchQueueOrder {
  readonly queueOrder: ArrayLike<number>;
}

/** Reads the view from a BatchScheduling-v0 info; `who` names the reader in the error. */
export function readBatchView(info: Info | undefined, who: string): BatchQueueView {
  const view = info?.batch as BatchQueueView | undefined;
  if (!view || typeof view !== 'object' || !(view.queue instanceof Int32Array)) {
    throw new SchedlabError(
      `agent '${who}' needs info.batch from BatchScheduling-v0: pass the last reset/step info as act(observation, {info})`,
    );
  }
  return view;
}
