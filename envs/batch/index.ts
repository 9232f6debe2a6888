import { register } from '../core/registry.js';
import { BatchSchedulingEnv } from './batch-scheduling.js';

register({
  id: 'BatchScheduling-v0',
  module: import.meta.url,
  entryPoint: (options) => new BatchSchedulingEnv(options),
  description: 'pick the next job of an HPC batch queue replaying an SWF trace (RLScheduler semantics, optional EASY-like backfilling)',
  source: 'Zhang et al., RLScheduler, SC 2020 (HPCSimPickJobs); traces from the Parallel Workloads Archive',
});

export { BatchSchedulingEnv, BATCH_METRICS, batchSchedulingOptions, type BatchMetric } from './batch-scheduling.js';
export { BatchSimulator, type BatchMetrics } from './batch-simulator.js';
export { PRIORITY_RULES, priorityRuleNames, rankByRule, type PriorityRule } from './priority-rules.js';
export { readBatchView, type BatchQueueOrder, type BatchQueueView, type ReadonlySwfTrace } from './queue-view.js';
export { SwfParser, parseSwf, type BadLinePolicy } from './swf-parser.js';
export { BUNDLED_TRACES, loadTrace, readSwfFile, readSwfFileSync, resolveTracePath } from './swf-reader.js';
export type { SwfTrace, SwfLoadStats } from './swf-trace.js';
