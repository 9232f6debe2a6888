/**
 * A batch-scheduling heuristic as a priority rule over the WHOLE queue (RLScheduler's heuristic tables
 * rank every waiting job, not only the window an RL policy sees): at each decision the agent asks the
 * env, through the documented `info.batch` view (BatchQueueView), to sort its queue stably by the rule
 * and returns the action that commits the rule's pick.
 */
import type { Env } from '../../../envs/core/env.js';
import { SchedlabError } from '../../../core/errors.js';
import { BatchSchedulingEnv } from '../../../envs/batch/batch-scheduling.js';
import type { PriorityRule } from '../../../envs/batch/priority-rules.js';
import type { BatchQueueView } from '../../../envs/batch/queue-view.js';
import type { ActOptions } from '../../core/agent.js';
import { HeuristicAgent } from '../../core/heuristic.js';

export class BatchPriorityAgent extends HeuristicAgent<Float32Array, number> {
  constructor(readonly rule: PriorityRule) {
    super(rule.name, {});
  }

  act(_observation: Float32Array, options: ActOptions = {}): number {
    const view = options.info?.batch as BatchQueueView | undefined;
    if (!view || typeof view.prioritize !== 'function') {
      throw new SchedlabError(`agent '${this.name}' needs info.batch from BatchScheduling-v0: pass the last reset/step info as act(observation, {info})`);
    }
    return view.prioritize(this.rule);
  }
}

/** null when `env` is BatchScheduling-v0 (under any wrappers), else why not. */
export function supportsBatch(env: Env<any, any>): string | null {
  return env.unwrapped instanceof BatchSchedulingEnv ? null : 'it ranks the queue of BatchScheduling-v0 only';
}
