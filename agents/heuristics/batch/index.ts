/**
 * The batch-scheduling heuristics of RLScheduler's tables (Zhang et al., SC 2020; code at
 * https://github.com/DIR-LAB/deep-batch-scheduler), one per priority rule of envs/batch/priority-rules.ts:
 * fcfs, sjf, saf, f1–f4, wfp3, unicep (textbook scores) and wfp3-compat, unicep-compat (RLScheduler's
 * code, behind its published WFP3/UNICEP columns).
 */
import { parseOptions } from '../../../core/options.js';
import { PRIORITY_RULES } from '../../../envs/batch/priority-rules.js';
import { registerAgent } from '../../core/registry.js';
import { BatchPriorityAgent, supportsBatch } from './priority-agent.js';

for (const rule of Object.values(PRIORITY_RULES)) {
  registerAgent({
    name: rule.name,
    kind: 'heuristic',
    priority: 1,
    description: `BatchScheduling-v0 priority rule over the whole queue: ${rule.description}`,
    supports: supportsBatch,
    create: (_env, options) => {
      parseOptions(rule.name, options, {});
      return new BatchPriorityAgent(rule);
    },
  });
}

export { BatchPriorityAgent, supportsBatch };
