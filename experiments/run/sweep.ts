/**
 * `schedlab run` as a function: load and check the experiment, expand the sweep, open the results
 * directory, skip finished runs, run the rest in the worker pool with a progress bar, and write the
 * tables. Rerunning resumes: finished runs are skipped, failed and interrupted ones rerun.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { runPool } from '../pool/pool.js';
import { writeJsonAtomic } from '../records/atomic.js';
import { resultsLayout } from '../records/layout.js';
import { buildManifest } from '../records/manifest.js';
import { claimFile, isFinished, isStale, readClaim, removeUnclaimedStaging } from '../records/run-dir.js';
import { checkAgentOptions, checkRuns } from '../spec/check-names.js';
import { loadExperiment } from '../spec/load.js';
import type { LoadedExperiment } from '../spec/types.js';
import { expandRuns, type RunSpec } from '../sweep/expand.js';
import type { RunOutcome } from './execute.js';
import { progressBar } from './progress.js';
import { openResultsDir } from './results-dir.js';
import { selectShard, type Shard } from './shard.js';

export interface SweepOptions {
  /** Default: results/<experiment name> under the working directory. */
  resultsDir?: string;
  /** Worker processes (default: one per core); 0 runs in this process. */
  workers?: number;
  shard?: Shard;
  progress?: boolean;
  /** Stop and record as failed a run taking longer than this (worker pool only). */
  runTimeoutSeconds?: number;
}

export interface PlannedSweep {
  experiment: LoadedExperiment;
  runs: RunSpec[];
  /** The runs of this shard. */
  mine: RunSpec[];
  resultsDir: string;
}

export interface SweepSummary extends PlannedSweep {
  skipped: number;
  outcomes: RunOutcome[];
  /** Runs another process ran meanwhile (this one waited for them). */
  elsewhere: number;
}

/** Everything up to running: what `--dry-run` lists. Throws on any bad input before touching disk. */
export function planSweep(file: string, options: SweepOptions = {}): PlannedSweep {
  const experiment = loadExperiment(file);
  const runs = expandRuns(experiment.spec, file);
  checkRuns(runs, file);
  const resultsDir = resolve(options.resultsDir ?? `results/${experiment.spec.name}`);
  return { experiment, runs, mine: selectShard(runs, options.shard), resultsDir };
}

/** Opens the results directory (refusing another experiment's) and writes experiment.json and the manifest. */
export async function initResultsDir({ experiment, runs, resultsDir }: PlannedSweep): Promise<void> {
  openResultsDir(resultsDir, experiment, runs);
  const layout = resultsLayout(resultsDir);
  writeJsonAtomic(layout.experiment, experiment.raw);
  writeJsonAtomic(layout.manifest, await buildManifest(experiment, runs.length));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSweep(file: string, options: SweepOptions = {}): Promise<SweepSummary> {
  const plan = planSweep(file, options);
  await checkAgentOptions(plan.runs, plan.experiment.file);
  const { mine, resultsDir } = plan;
  await initResultsDir(plan);
  removeUnclaimedStaging(
    resultsDir,
    mine.map((r) => r.id),
  );
  const pending = mine.filter((r) => !isFinished(resultsDir, r.id));
  const workers = Math.max(0, options.workers ?? availableParallelism());
  const bar = progressBar(pending.length, options.progress ?? true);
  const outcomes: RunOutcome[] = [];
  let elsewhere = 0;
  try {
    let todo = pending;
    let told = false;
    for (;;) {
      const round = await runPool(todo, {
        workers,
        resultsDir,
        runTimeoutSeconds: options.runTimeoutSeconds,
        onOutcome: (o) => bar.tick(o.ok),
      });
      outcomes.push(...round.outcomes);
      for (const _ of round.finishedElsewhere) bar.tick(true);
      elsewhere += round.finishedElsewhere.length;
      if (round.claimedElsewhere.length === 0) break;
      // Runs another live process holds: wait for them (taking over any whose process dies), so that the
      // tables written at the end cover every run.
      if (!told) {
        const holders = [
          ...new Set(round.claimedElsewhere.map((c) => (c.holder ? `pid ${c.holder.pid} on ${c.holder.host}` : 'a process starting'))),
        ];
        process.stderr.write(
          `schedlab: waiting for ${round.claimedElsewhere.length} runs that another schedlab run is running in ${resultsDir} (${holders.join(', ')})\n`,
        );
        told = true;
      }
      todo = [];
      while (todo.length === 0) {
        await sleep(500);
        const waiting = round.claimedElsewhere.map((c) => c.run).filter((r) => !isFinished(resultsDir, r.id));
        for (const r of round.claimedElsewhere) if (isFinished(resultsDir, r.run.id)) bar.tick(true);
        elsewhere += round.claimedElsewhere.length - waiting.length;
        round.claimedElsewhere = round.claimedElsewhere.filter((c) => waiting.includes(c.run));
        if (waiting.length === 0) break;
        // A run whose claim is gone or stale goes back to this process's pool (runPool claims it).
        const claimable = waiting.some((r) => {
          const file = claimFile(resultsDir, r.id);
          const holder = readClaim(file);
          return holder === undefined ? !existsSync(file) : isStale(file, holder);
        });
        if (claimable) todo = waiting;
      }
      if (todo.length === 0) break;
    }
  } finally {
    bar.stop();
  }
  return { ...plan, skipped: mine.length - pending.length, outcomes, elsewhere };
}
