/** Reads the run records of a results directory: what tables and figures are made from. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluationResult } from '../../agents/core/evaluation.js';
import { InputFileError } from '../../core/errors.js';
import type { ExperimentSpec } from '../spec/types.js';
import { expandRuns, type RunSpec } from '../sweep/expand.js';
import { resultsLayout, runFiles } from './layout.js';

export interface RunRecord {
  run: RunSpec;
  /** Absent for a failed run. */
  evaluation?: EvaluationResult;
  error?: { message: string };
  /** The learning curve, one row per logged point (empty for heuristics). */
  curve: Record<string, number>[];
}

/**
 * The records of the runs `expected` lists (the expansion of the results directory's experiment.json),
 * labelled as the experiment file now labels them. A run's id hashes its config and seeds, not its task
 * or agent label, so a label renamed after the run keeps the run; its run.json still carries the old
 * label, and the table must show the new one. Records of runs the experiment no longer has (a config
 * changed since) are left out: they are not this experiment's results.
 */
export function recordsOfExperiment(records: RunRecord[], expected: RunSpec[]): RunRecord[] {
  const byId = new Map(expected.map((r) => [r.id, r]));
  return records.flatMap((r) => {
    const run = byId.get(r.run.id);
    return run ? [{ ...r, run }] : [];
  });
}

/** The records of `spec`'s runs in `resultsDir` (the directory's own experiment), as `recordsOfExperiment` labels them. */
export function readExperimentRecords(resultsDir: string, spec: ExperimentSpec): RunRecord[] {
  return recordsOfExperiment(readRecords(resultsDir), expandRuns(spec, resultsLayout(resultsDir).experiment));
}

export function readRecords(resultsDir: string): RunRecord[] {
  const dir = resultsLayout(resultsDir).runs;
  if (!existsSync(dir)) return [];
  const records: RunRecord[] = [];
  for (const id of readdirSync(dir).sort()) {
    if (id.startsWith('.')) continue;
    const runDir = join(dir, id);
    // A folder without its run.json is no record (not one `schedlab run` commits): it is left out, and the
    // next `schedlab run` replaces it.
    if (!existsSync(join(runDir, runFiles.run))) continue;
    const run = readJson<RunSpec>(join(runDir, runFiles.run));
    const evalFile = join(runDir, runFiles.evaluation);
    const errorFile = join(runDir, runFiles.error);
    records.push({
      run,
      evaluation: existsSync(evalFile) ? readJson<EvaluationResult>(evalFile) : undefined,
      error: existsSync(errorFile) ? readJson<{ message: string }>(errorFile) : undefined,
      curve: readCurve(join(runDir, runFiles.curve)),
    });
  }
  return records.sort((a, b) => a.run.index - b.run.index);
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new InputFileError(file, undefined, undefined, `unreadable run record (${(e as Error).message})`);
  }
}

function readCurve(file: string): Record<string, number>[] {
  if (!existsSync(file)) return [];
  const [header, ...lines] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  if (!header) return [];
  const keys = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i], v === '' ? NaN : Number(v)])));
}
