/** The messages between the pool and its worker processes (over the Node IPC channel). */
import type { RunOutcome } from '../run/execute.js';
import type { RunSpec } from '../sweep/expand.js';

export type ToWorker = { type: 'run'; run: RunSpec; resultsDir: string };
export type FromWorker = { type: 'ready' } | { type: 'done'; outcome: RunOutcome };
