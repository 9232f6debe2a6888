/**
 * `schedlab run FILE --reevaluate [--agents LABEL,...]`: evaluates the finished runs of an experiment
 * again from their saved checkpoints (no training), with each run's evaluation seed, episodes and
 * greedy/sampled setting, and rewrites their `evaluation.json` atomically; every other file of a run
 * (config, curve, validation, timing, checkpoint) is kept; experiment.json and the manifest are rewritten,
 * as by every `schedlab run`. For records made before evaluation drew its
 * sampled actions from its own seed: their checkpoints are the trained agents, so no retraining is needed.
 * Each run is claimed while it is re-evaluated, so a concurrent `schedlab run` cannot interleave.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluationResult } from '../../agents/core/evaluation.js';
import { SchedlabError } from '../../core/errors.js';
import { writeJsonAtomic } from '../records/atomic.js';
import { resultsLayout, runFiles } from '../records/layout.js';
import { claimRun, isFinished, releaseRun } from '../records/run-dir.js';
import type { RunSpec } from '../sweep/expand.js';
import { readManifest } from './results-dir.js';
import { evaluateCheckpoint } from './run-one.js';
import { initResultsDir, type PlannedSweep } from './sweep.js';

export interface Reevaluated {
  run: RunSpec;
  before: EvaluationResult;
  after: EvaluationResult;
}

export interface ReevaluateSelection {
  /** Agent labels (default: all). */
  agents?: string[];
  /** Task labels (default: all). */
  tasks?: string[];
}

export async function reevaluateRuns(
  plan: PlannedSweep,
  { agents, tasks }: ReevaluateSelection,
  onRun?: (r: Reevaluated) => void,
): Promise<{ done: Reevaluated[]; skipped: RunSpec[] }> {
  if (!readManifest(plan.resultsDir))
    throw new SchedlabError(
      `${plan.resultsDir} holds no results of ${plan.experiment.file} to re-evaluate (no manifest.json); run the experiment first`,
    );
  // Refuses another experiment's directory; rewrites experiment.json and the manifest (this command's versions).
  await initResultsDir(plan);
  const check = (flag: string, given: string[] | undefined, known: Set<string>) => {
    for (const a of given ?? []) {
      if (!known.has(a))
        throw new SchedlabError(
          `--${flag}: no ${flag.slice(0, -1)} labelled '${a}' in ${plan.experiment.file}; its ${flag} are ${[...known].map((k) => `'${k}'`).join(', ')}`,
        );
    }
  };
  check('agents', agents, new Set(plan.runs.map((r) => r.agent)));
  check('tasks', tasks, new Set(plan.runs.map((r) => r.task)));
  const done: Reevaluated[] = [];
  const skipped: RunSpec[] = [];
  for (const run of plan.mine) {
    if ((agents && !agents.includes(run.agent)) || (tasks && !tasks.includes(run.task))) continue;
    const dir = resultsLayout(plan.resultsDir).run(run.id);
    if (!isFinished(plan.resultsDir, run.id) || !existsSync(join(dir, runFiles.checkpoint))) {
      skipped.push(run);
      continue;
    }
    const claim = claimRun(plan.resultsDir, run.id, { finishedToo: true });
    if (!claim.ok)
      throw new SchedlabError(
        `run ${run.id} is held by another process (${!claim.finished && claim.holder ? `pid ${claim.holder.pid} on ${claim.holder.host}` : 'starting'}); re-evaluate when it has finished`,
      );
    try {
      const before = JSON.parse(readFileSync(join(dir, runFiles.evaluation), 'utf8')) as EvaluationResult;
      const after = await evaluateCheckpoint({
        env: run.config.env,
        agent: run.config.agent,
        seed: run.seed,
        checkpointDir: join(dir, runFiles.checkpoint),
        evaluation: { episodes: run.config.evaluation.episodes, seed: run.evalSeed, deterministic: run.config.evaluation.deterministic },
      });
      writeJsonAtomic(join(dir, runFiles.evaluation), after);
      const r = { run, before, after };
      done.push(r);
      onRun?.(r);
    } finally {
      releaseRun(plan.resultsDir, run.id);
    }
  }
  return { done, skipped };
}
