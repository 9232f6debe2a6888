/**
 * One run of an experiment: `runOne` with the run's config, seeds and record folder, written into a
 * temporary directory and renamed into `runs/<id>` when complete. A failing run is recorded with its
 * error instead of an evaluation. With `validation` in the config, `validation.json` records every
 * validation score and the one selected. The caller holds the run's claim (records/run-dir.ts).
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { SchedlabError } from '../../core/errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../records/atomic.js';
import { runFiles } from '../records/layout.js';
import { commitRunDir, stageRunDir } from '../records/run-dir.js';
import type { RunSpec } from '../sweep/expand.js';
import { runOne } from './run-one.js';

export interface RunOutcome {
  id: string;
  ok: boolean;
  error?: string;
}

export async function executeRun(run: RunSpec, resultsDir: string): Promise<RunOutcome> {
  const staged = stageRunDir(resultsDir, run.id);
  writeJsonAtomic(join(staged, runFiles.run), run);
  const started = Date.now();
  const timing: Record<string, unknown> = { host: hostname(), pid: process.pid, startedAt: new Date(started).toISOString() };
  let outcome: RunOutcome;
  try {
    const { config } = run;
    const validation = config.validation;
    const deterministic = config.evaluation.deterministic;
    const record = await runOne({
      env: config.env,
      agent: config.agent,
      seed: run.seed,
      totalSteps: config.totalSteps,
      evaluation: { episodes: config.evaluation.episodes, seed: run.evalSeed, deterministic },
      ...(validation
        ? {
            validation: {
              everySteps: validation.everySteps,
              episodes: validation.episodes,
              seed: run.seed + validation.seedOffset,
              deterministic,
              ...(validation.envOptions ? { envOptions: validation.envOptions } : {}),
              bestDir: join(staged, 'validation-best'),
            },
          }
        : {}),
      checkpoint: { dir: join(staged, runFiles.checkpoint) },
    });
    if (record.validation) {
      writeJsonAtomic(join(staged, runFiles.validation), {
        ...validation,
        seed: run.seed + validation!.seedOffset,
        deterministic,
        ...record.validation,
      });
    }
    writeFileAtomic(join(staged, runFiles.curve), curveCsv(record.curve));
    writeJsonAtomic(join(staged, runFiles.evaluation), record.evaluation);
    Object.assign(timing, {
      learnSeconds: record.learnSeconds,
      evaluateSeconds: record.evaluateSeconds,
      ...(record.meanSPS !== undefined ? { meanSPS: record.meanSPS } : {}),
    });
    outcome = { id: run.id, ok: true };
  } catch (e) {
    const err = e as Error;
    const message = err instanceof SchedlabError ? err.message : `${err.name}: ${err.message}`;
    writeJsonAtomic(join(staged, runFiles.error), { message, ...(err instanceof SchedlabError ? {} : { stack: err.stack }) });
    outcome = { id: run.id, ok: false, error: message };
  }
  timing.wallSeconds = (Date.now() - started) / 1000;
  writeJsonAtomic(join(staged, runFiles.timing), timing);
  commitRunDir(resultsDir, run.id, staged);
  return outcome;
}

/** The curve as CSV: steps, episodes, then the logged metrics in name order (rows may lack some). */
export function curveCsv(rows: Record<string, number>[]): string {
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'steps' && k !== 'episodes').sort();
  const columns = ['steps', 'episodes', ...metrics];
  return stringify(
    rows.map((r) => columns.map((c) => (r[c] === undefined ? '' : r[c]))),
    { header: true, columns },
  );
}
