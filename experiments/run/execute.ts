/**
 * One run of an experiment: `runOne` with the run's config, seeds and record folder, written into a
 * temporary directory and renamed into `runs/<id>` when complete. A failing run is recorded with its
 * error instead of an evaluation. With `validation` in the config, `validation.json` records every
 * validation score and the one selected. The caller holds the run's claim (records/run-dir.ts).
 *
 * A learned run checkpoints into `runs/.partial-<id>/` every tenth of its budget and appends each curve row
 * to its `curve.jsonl` (with model selection, also each validation to `validation.jsonl`, the best model
 * being kept in `validation-best/`); a run killed half-way (a crash, a kill, a node lost) resumes there,
 * from its last checkpoint, when it is run again, and ends with the same record as a run never
 * interrupted (`train --resume` is exact, and validation episodes never touch training). The folder goes
 * once the run is committed; a run that fails keeps it, so the last good checkpoint its error names is
 * still there.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { CHECKPOINT_FILE, readCheckpointMeta } from '../../agents/core/checkpoint.js';
import type { EvaluationResult } from '../../agents/core/evaluation.js';
import type { Callback } from '../../agents/index.js';
import { SchedlabError } from '../../core/errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../records/atomic.js';
import { partialFiles, resultsLayout, runFiles } from '../records/layout.js';
import { commitRunDir, stageRunDir } from '../records/run-dir.js';
import type { RunSpec } from '../sweep/expand.js';
import { runOne } from './run-one.js';

export interface RunOutcome {
  id: string;
  ok: boolean;
  error?: string;
}

export async function executeRun(run: RunSpec, resultsDir: string, extra: { callbacks?: Callback[] } = {}): Promise<RunOutcome> {
  const staged = stageRunDir(resultsDir, run.id);
  writeJsonAtomic(join(staged, runFiles.run), run);
  const started = Date.now();
  const timing: Record<string, unknown> = { host: hostname(), pid: process.pid, startedAt: new Date(started).toISOString() };
  let outcome: RunOutcome;
  try {
    const { config } = run;
    const validation = config.validation;
    const deterministic = config.evaluation.deterministic;
    const partial = config.totalSteps > 0 ? await openPartial(resultsDir, run.id) : undefined;
    const record = await runOne({
      env: config.env,
      agent: config.agent,
      seed: run.seed,
      totalSteps: config.totalSteps,
      evaluation: { episodes: config.evaluation.episodes, seed: run.evalSeed, deterministic },
      // Model selection needs training, and so a partial folder, where its best model is kept.
      ...(validation && partial
        ? {
            validation: {
              everySteps: validation.everySteps,
              episodes: validation.episodes,
              seed: run.seed + validation.seedOffset,
              deterministic,
              ...(validation.envOptions ? { envOptions: validation.envOptions } : {}),
              bestDir: partial.bestDir,
              history: partial.previousValidations,
              onResult: partial.appendValidation,
            },
          }
        : {}),
      checkpoint: partial
        ? { dir: partial.checkpoint, everySteps: Math.ceil(config.totalSteps / 10) }
        : { dir: join(staged, runFiles.checkpoint) },
      ...(partial ? { resume: partial.resume, onCurveRow: partial.appendCurveRow } : {}),
      ...(extra.callbacks ? { callbacks: extra.callbacks } : {}),
    });
    if (partial) renameSync(partial.checkpoint, join(staged, runFiles.checkpoint));
    if (record.validation) {
      writeJsonAtomic(join(staged, runFiles.validation), {
        ...validation,
        seed: run.seed + validation!.seedOffset,
        deterministic,
        ...record.validation,
      });
    }
    writeFileAtomic(join(staged, runFiles.curve), curveCsv([...(partial?.previousCurve ?? []), ...record.curve]));
    writeJsonAtomic(join(staged, runFiles.evaluation), record.evaluation);
    Object.assign(timing, {
      learnSeconds: record.learnSeconds,
      evaluateSeconds: record.evaluateSeconds,
      ...(record.meanSPS !== undefined ? { meanSPS: record.meanSPS } : {}),
      ...(record.resumedFrom !== undefined ? { resumedFrom: record.resumedFrom } : {}),
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
  if (outcome.ok) rmSync(resultsLayout(resultsDir).partial(run.id), { recursive: true, force: true });
  return outcome;
}

/** A value of numbers as one JSON line; NaN and ±Infinity as strings (JSON has no such numbers). */
const jsonLine = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) + '\n';

interface PartialRun {
  checkpoint: string;
  /** Where model selection keeps its best model across attempts. */
  bestDir: string;
  /** A checkpoint from an interrupted attempt is there: continue from it. */
  resume: boolean;
  /** The curve rows of the interrupted attempt up to its checkpoint. */
  previousCurve: Record<string, number>[];
  /** Appends a new curve row, as runOne logs it, to curve.jsonl. */
  appendCurveRow: (row: Record<string, number>) => void;
  /** The validations of the interrupted attempt up to its checkpoint (model selection only). */
  previousValidations: { steps: number; result: EvaluationResult }[];
  /** Appends a validation, once its best model (if it is one) is saved, to validation.jsonl. */
  appendValidation: (steps: number, result: EvaluationResult) => void;
}

/** The lines of a JSON-lines file written with `jsonLine` (absent: none). */
function readJsonLines<T>(file: string): T[] {
  return (existsSync(file) ? readFileSync(file, 'utf8') : '')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line, (_k, v: unknown) => (typeof v === 'string' ? Number(v) : v)) as T);
}

/**
 * The run's `.partial-<id>/` folder: resumed from when an interrupted attempt left a readable checkpoint
 * (its curve and validations cut at the checkpoint's step, those after it being recomputed), else made
 * afresh. The checkpoint is saved after the validation of its step (runOne's callback order), so the
 * kept validations are every one the run made up to there.
 */
async function openPartial(resultsDir: string, id: string): Promise<PartialRun> {
  const dir = resultsLayout(resultsDir).partial(id);
  const checkpoint = join(dir, runFiles.checkpoint);
  const bestDir = join(dir, partialFiles.bestModel);
  const curveFile = join(dir, partialFiles.curve);
  const validationFile = join(dir, partialFiles.validations);
  let resume = false;
  let previousCurve: Record<string, number>[] = [];
  let previousValidations: PartialRun['previousValidations'] = [];
  if (existsSync(join(checkpoint, CHECKPOINT_FILE))) {
    try {
      const step = (await readCheckpointMeta(checkpoint)).counters.globalStep ?? 0;
      previousCurve = readJsonLines<Record<string, number>>(curveFile).filter((row) => row.steps <= step);
      previousValidations = readJsonLines<PartialRun['previousValidations'][number]>(validationFile).filter((v) => v.steps <= step);
      // Validations without their best model cannot be taken up: start over.
      resume = step > 0 && (previousValidations.length === 0 || existsSync(join(bestDir, CHECKPOINT_FILE)));
    } catch {
      resume = false;
    }
  }
  if (!resume) {
    rmSync(dir, { recursive: true, force: true });
    previousCurve = [];
    previousValidations = [];
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(curveFile, previousCurve.map(jsonLine).join(''));
  writeFileSync(validationFile, previousValidations.map(jsonLine).join(''));
  return {
    checkpoint,
    bestDir,
    resume,
    previousCurve,
    appendCurveRow: (row) => appendFileSync(curveFile, jsonLine(row)),
    previousValidations,
    appendValidation: (steps, result) => appendFileSync(validationFile, jsonLine({ steps, result })),
  };
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
