/**
 * A batch-scheduling heuristic as a priority rule over the WHOLE queue (RLScheduler's heuristic tables
 * rank every waiting job, not only the window an RL policy sees): at each decision the agent reads the
 * queue in the `info.batch` snapshot (BatchQueueView), ranks it stably by its rule (`rankByRule`) and
 * returns that ranking as BatchScheduling-v0's queue-order action (BatchQueueOrder): the env keeps its
 * queue in that order and commits the rule's pick. Acting changes nothing in the env: only `step` does.
 */
import { BatchSchedulingEnv } from '../../../envs/batch/batch-scheduling.js';
import { rankByRule, RankScratch, type PriorityRule } from '../../../envs/batch/priority-rules.js';
import { readBatchView, type BatchQueueOrder } from '../../../envs/batch/queue-view.js';
import type { Env } from '../../../envs/core/env.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';

export class BatchPriorityAgent extends HeuristicAgent<Float32Array, BatchQueueOrder> {
  private readonly scratch = new RankScratch();

  constructor(readonly rule: PriorityRule) {
    super(rule.name, {});
  }

  act(_observation: Float32Array, options: ActOptions = {}): BatchQueueOrder {
    const view = readBatchView(options.info, this.name);
    return { queueOrder: rankByRule(this.rule, view.trace, view.queue, view.now, this.scratch) };
  }
}

/** null when `env` is BatchScheduling-v0 (under any wrappers), else why not. */
export function supportsBatch(env: Env<any, any>): string | null {
  return env.unwrapped instanceof BatchSchedulingEnv ? null : 'it ranks the queue of BatchScheduling-v0 only';
}
