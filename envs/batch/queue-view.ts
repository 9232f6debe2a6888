/**
 * The typed state view BatchScheduling-v0 publishes as `info.batch` on reset and every step, for
 * heuristics that need more than the observation (the whole queue, not only the visible window).
 * It is live: it describes the env's current state and stays valid until the next step or reset.
 */
import type { PriorityRule } from './priority-rules.js';
import type { SwfTrace } from './swf-trace.js';

export interface BatchQueueView {
  /** The trace: job attributes (submit, requestTime, procs, ...) indexed by trace job index. */
  readonly trace: SwfTrace;
  /** Current simulated time (s). */
  readonly now: number;
  readonly freeNodes: number;
  /** Jobs waiting, however many (the window shows at most `queueSize` of them). */
  readonly queueLength: number;
  /** The trace index of the first job of this episode's sequence. */
  readonly sequenceStart: number;
  /** Trace indices of the queued jobs in the queue's current order (a copy). */
  queuedJobs(): Int32Array;
  /** Trace indices of the jobs in the visible window, by slot (a copy): action k commits slot k's job. */
  windowJobs(): Int32Array;
  /**
   * Sorts the env's whole queue stably, in place, by `rule` (a PriorityRule or the name of one in
   * PRIORITY_RULES) at the current time, and makes the window the first `queueSize` jobs of that order;
   * returns the action (slot 0) that commits the rule's pick. The observation returned before no longer
   * describes the window.
   */
  prioritize(rule: PriorityRule | string): number;
}
