/**
 * `schedlab run` as a function: load and check the experiment, expand the sweep, open the results
 * directory, skip finished runs, run the rest in the worker pool with a progress bar, and write the
 * tables. Rerunning resumes: finished runs are skipped, failed and interrupted ones rerun.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { writeJsonAtomic } from '../records/atomic.js';
import { resultsLayout } from '../records/layout.js';
import { buildManifest } from '../records/manifest.js';
import { isFinished, removeStaleStaging } from '../records/run-dir.js';
import { runPool } from '../pool/pool.js';
import { checkRuns } from '../spec/check-names.js';
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
  openResultsDir(resultsDir, experiment);
  const layout = resultsLayout(resultsDir);
  writeJsonAtomic(layout.experiment, experiment.raw);
  writeJsonAtomic(layout.manifest, await buildManifest(experiment, runs.length));
}

export async function runSweep(file: string, options: SweepOptions = {}): Promise<SweepSummary> {
  const plan = planSweep(file, options);
  const { experiment, runs, mine, resultsDir } = plan;
  await initResultsDir(plan);
  removeStaleStaging(resultsDir, mine.map((r) => r.id));
  const pending = mine.filter((r) => !isFinished(resultsDir, r.id));
  const workers = Math.max(0, options.workers ?? availableParallelism());
  const bar = progressBar(pending.length, options.progress ?? true);
  let outcomes: RunOutcome[];
  try {
    outcomes = await runPool(pending, { workers, resultsDir, runTimeoutSeconds: options.runTimeoutSeconds, onOutcome: (o) => bar.tick(o.ok) });
  } finally {
    bar.stop();
  }
  return { ...plan, skipped: mine.length - pending.length, outcomes };
}
