/**
 * The worker pool: `workers` child processes (node's fork, one per core by default) take runs from a
 * shared queue, one at a time. A worker that dies mid-run has that run recorded as failed and is
 * replaced, so the sweep goes on. `workers: 0` runs everything in this process (debugging, tests).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SchedlabError } from '../../core/errors.js';
import { recordFailure } from '../records/failure.js';
import { executeRun, type RunOutcome } from '../run/execute.js';
import type { RunSpec } from '../sweep/expand.js';
import type { FromWorker, ToWorker } from './messages.js';

export interface PoolOptions {
  workers: number;
  resultsDir: string;
  onOutcome?: (outcome: RunOutcome, run: RunSpec) => void;
  /** A run taking longer is stopped (its worker killed) and recorded as failed; default: no limit. */
  runTimeoutSeconds?: number;
}

export async function runPool(runs: RunSpec[], { workers, resultsDir, onOutcome, runTimeoutSeconds }: PoolOptions): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  const report = (outcome: RunOutcome, run: RunSpec) => {
    outcomes.push(outcome);
    onOutcome?.(outcome, run);
  };
  if (workers === 0) {
    for (const run of runs) report(await executeRun(run, resultsDir), run);
    return outcomes;
  }
  const script = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (!existsSync(script)) throw new Error(`schedlab: the worker script ${script} is missing; build with 'npx tsc -p .' (or use --workers 0)`);
  const queue = [...runs];
  const children = new Set<ChildProcess>();
  const stopAll = () => children.forEach((c) => c.kill('SIGTERM'));
  process.once('exit', stopAll);
  try {
    await new Promise<void>((resolve, reject) => {
      let live = 0;
      let stopped = false;
      const start = () => {
        const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.add(child);
        live++;
        let current: RunSpec | undefined;
        let timer: NodeJS.Timeout | undefined;
        let timedOut = false;
        let ready = false;
        const next = () => {
          clearTimeout(timer);
          current = queue.shift();
          if (!current) {
            child.disconnect();
            return;
          }
          child.send({ type: 'run', run: current, resultsDir } satisfies ToWorker);
          if (runTimeoutSeconds) {
            timer = setTimeout(() => {
              timedOut = true;
              child.kill('SIGKILL');
            }, runTimeoutSeconds * 1000);
          }
        };
        child.on('message', (m: FromWorker) => {
          ready = true;
          if (m.type === 'done' && current) report(m.outcome, current);
          next();
        });
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          children.delete(child);
          live--;
          if (!ready && !stopped) {
            // It died loading its modules (a broken build or install): every worker would, so stop here.
            stopped = true;
            stopAll();
            reject(new SchedlabError(`a worker process exited before it was ready (${signal ?? `code ${code}`}; its error is printed above); rebuild with 'npx tsc -p .' and run again to resume`));
            return;
          }
          if (current) {
            const message = timedOut
              ? `the run took longer than the run timeout of ${runTimeoutSeconds} s and was stopped`
              : `the worker process running this run exited (${signal ?? `code ${code}`}) before finishing it`;
            recordFailure(current, resultsDir, message);
            report({ id: current.id, ok: false, error: message }, current);
            current = undefined;
          }
          if (queue.length && !stopped) start();
          else if (live === 0) resolve();
        });
      };
      for (let i = 0; i < Math.min(workers, queue.length); i++) start();
      if (live === 0) resolve();
    });
  } finally {
    process.off('exit', stopAll);
    stopAll();
  }
  return outcomes;
}
