/**
 * The worker pool: `workers` child processes (node's fork, one per core by default) take runs from a
 * shared queue, one at a time. Each run is claimed for this process before it starts (an exclusive
 * create, records/run-dir.ts) and released when its record is committed, so several `schedlab run`
 * processes can share one results directory: a run finished or claimed by another live process is not
 * started here. A worker that dies mid-run has that run recorded as failed and is replaced, so the sweep
 * goes on. `workers: 0` runs everything in this process (debugging, tests).
 *
 * SIGINT or SIGTERM stops the pool at once: every worker is killed, the runs they had are released (their
 * temporary folders removed; nothing is recorded for them), and `runPool` rejects with `Interrupted`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchedlabError } from '../../core/errors.js';
import { recordFailure } from '../records/failure.js';
import { resultsLayout } from '../records/layout.js';
import { claimRun, heartbeat, HEARTBEAT_MS, releaseRun, type Claim } from '../records/run-dir.js';
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

export interface PoolResult {
  outcomes: RunOutcome[];
  /** Runs another process had finished by the time this one came to them. */
  finishedElsewhere: RunSpec[];
  /** Runs another live process holds (not started here). */
  claimedElsewhere: { run: RunSpec; holder: Claim | undefined }[];
}

/** Thrown by `runPool` when SIGINT/SIGTERM stopped it. */
export class Interrupted extends SchedlabError {
  constructor(
    readonly signal: NodeJS.Signals,
    readonly outcomes: RunOutcome[],
  ) {
    super(`interrupted by ${signal}`);
  }
}

/** Removes the temporary folders of run `id` (its worker is gone, and this process holds the claim). */
function removeStaged(resultsDir: string, id: string): void {
  const dir = resultsLayout(resultsDir).runs;
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name.startsWith(`.tmp-${id}-`)) rmSync(join(dir, name), { recursive: true, force: true });
}

export async function runPool(runs: RunSpec[], { workers, resultsDir, onOutcome, runTimeoutSeconds }: PoolOptions): Promise<PoolResult> {
  const result: PoolResult = { outcomes: [], finishedElsewhere: [], claimedElsewhere: [] };
  // The runs this process holds; their claims are refreshed so processes on other hosts see them alive.
  const held = new Set<string>();
  const beat = setInterval(() => heartbeat(resultsDir, held), HEARTBEAT_MS);
  beat.unref();
  try {
    return await runClaimed();
  } finally {
    clearInterval(beat);
  }

  async function runClaimed(): Promise<PoolResult> {
    const report = (outcome: RunOutcome, run: RunSpec) => {
      releaseRun(resultsDir, run.id);
      held.delete(run.id);
      result.outcomes.push(outcome);
      onOutcome?.(outcome, run);
    };
    const queue = [...runs];
    /** The next run this process may start, claimed; undefined when none is left. */
    const nextClaimed = (): RunSpec | undefined => {
      for (let run = queue.shift(); run; run = queue.shift()) {
        const claim = claimRun(resultsDir, run.id);
        if (claim.ok) {
          held.add(run.id);
          return run;
        }
        if (claim.finished) result.finishedElsewhere.push(run);
        else result.claimedElsewhere.push({ run, holder: claim.holder });
      }
      return undefined;
    };

    if (workers === 0) {
      let current: RunSpec | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        // A run in this process cannot be stopped half-way from here: release it and leave.
        if (current) {
          releaseRun(resultsDir, current.id);
          removeStaged(resultsDir, current.id);
        }
        process.stderr.write(
          `\nschedlab: ${signal}: stopped; ${result.outcomes.length} runs were completed and saved by this process in ${resultsDir}. Run the same command again to resume (finished runs are skipped)\n`,
        );
        process.exit(130);
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        for (let run = nextClaimed(); run; run = nextClaimed()) {
          current = run;
          report(await executeRun(run, resultsDir), run);
          current = undefined;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return result;
    }
    const script = fileURLToPath(new URL('./worker.js', import.meta.url));
    if (!existsSync(script))
      throw new Error(`schedlab: the worker script ${script} is missing; build with 'npx tsc -p .' (or use --workers 0)`);
    const children = new Map<ChildProcess, { current: RunSpec | undefined }>();
    const killAll = () => children.forEach((_s, c) => c.kill('SIGKILL'));
    process.once('exit', killAll);
    let interrupted: NodeJS.Signals | undefined;
    const abandoned: RunSpec[] = [];
    let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        let live = 0;
        let stopped = false;
        onSignal = (signal) => {
          if (interrupted) return;
          interrupted = signal;
          stopped = true;
          // At once: the workers' runs are abandoned (released once the workers are gone, nothing recorded).
          for (const [child, state] of children) {
            child.kill('SIGKILL');
            if (state.current) abandoned.push(state.current);
            state.current = undefined;
          }
          if (live === 0) resolve();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        const start = () => {
          const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          const state: { current: RunSpec | undefined } = { current: undefined };
          children.set(child, state);
          live++;
          let timer: NodeJS.Timeout | undefined;
          let timedOut = false;
          let ready = false;
          const next = () => {
            clearTimeout(timer);
            state.current = stopped ? undefined : nextClaimed();
            if (!state.current) {
              if (child.connected) child.disconnect();
              return;
            }
            child.send({ type: 'run', run: state.current, resultsDir } satisfies ToWorker);
            if (runTimeoutSeconds) {
              timer = setTimeout(() => {
                timedOut = true;
                child.kill('SIGKILL');
              }, runTimeoutSeconds * 1000);
            }
          };
          child.on('message', (m: FromWorker) => {
            ready = true;
            if (m.type === 'done' && state.current) report(m.outcome, state.current);
            next();
          });
          child.on('exit', (code, signal) => {
            clearTimeout(timer);
            children.delete(child);
            live--;
            if (interrupted) {
              if (live === 0) resolve();
              return;
            }
            if (!ready && !stopped) {
              // It died loading its modules (a broken build or install): every worker would, so stop here.
              stopped = true;
              killAll();
              reject(
                new SchedlabError(
                  `a worker process exited before it was ready (${signal ?? `code ${code}`}; its error is printed above); rebuild with 'npx tsc -p .' and run again to resume`,
                ),
              );
              return;
            }
            if (state.current) {
              const message = timedOut
                ? `the run took longer than the run timeout of ${runTimeoutSeconds} s and was stopped`
                : `the worker process running this run exited (${signal ?? `code ${code}`}) before finishing it`;
              removeStaged(resultsDir, state.current.id);
              recordFailure(state.current, resultsDir, message);
              report({ id: state.current.id, ok: false, error: message }, state.current);
              state.current = undefined;
            }
            if (queue.length && !stopped) start();
            else if (live === 0) resolve();
          });
        };
        for (let i = 0; i < Math.min(workers, queue.length); i++) start();
        if (live === 0) resolve();
      });
    } finally {
      if (onSignal) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      process.off('exit', killAll);
      killAll();
    }
    if (interrupted) {
      // The killed workers' temporary folders: this process holds their claims, so nobody else writes there.
      for (const run of abandoned) {
        removeStaged(resultsDir, run.id);
        releaseRun(resultsDir, run.id);
      }
      throw new Interrupted(interrupted, result.outcomes);
    }
    return result;
  }
}
