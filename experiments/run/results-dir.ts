/**
 * Opens a results directory for an experiment: creates it, checks it is writable, and refuses one that
 * holds another experiment's results, touching nothing there. Results are another experiment's when the
 * file's hash differs and its runs differ too: a file changed only in its tables, figures, labels or
 * description still owns its runs, and so does a file of the same experiment name that only adds runs (an
 * agent, a seed, a task): every run recorded is still one of its runs, so the finished ones are kept
 * (experiment.json and the manifest are then rewritten from it). A file that drops or changes a recorded
 * run is refused: its results would mix with runs it no longer has.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SchedlabError } from '../../core/errors.js';
import { OutputError, outputErrorCode, writeFileAtomic } from '../records/atomic.js';
import { canonicalJson, sha256 } from '../records/hash.js';
import { resultsLayout } from '../records/layout.js';
import type { Manifest } from '../records/manifest.js';
import type { LoadedExperiment } from '../spec/types.js';
import { validateExperiment } from '../spec/validate.js';
import { expandRuns, type RunSpec } from '../sweep/expand.js';

export function openResultsDir(dir: string, experiment: LoadedExperiment, runs: RunSpec[]): void {
  const layout = resultsLayout(dir);
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new SchedlabError(`results directory ${dir} is a file, not a directory; choose another with --out`);
  try {
    mkdirSync(dir, { recursive: true });
    // Unique per process even across the nodes of a cluster writing one shared directory.
    const probe = join(dir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    writeFileAtomic(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    // A write the machine refuses (exit status 1, with its reason and advice); anything else stays a usage error.
    const code = e instanceof OutputError ? e.code : outputErrorCode(e);
    if (code !== undefined) throw new OutputError(dir, 'write to the results directory', code, '--out');
    throw new SchedlabError(`cannot write to the results directory ${dir} (${(e as Error).message}); choose a writable one with --out`);
  }
  if (existsSync(layout.manifest)) {
    const manifest = JSON.parse(readFileSync(layout.manifest, 'utf8')) as Manifest;
    if (manifest.experiment.hash !== experiment.hash && !ownsRuns(layout.experiment, experiment, runs)) {
      throw new SchedlabError(
        `results directory ${dir} holds results of another experiment file ('${manifest.experiment.name}' from ${manifest.experiment.file}, hash ${manifest.experiment.hash.slice(0, 12)}), ` +
          `not of ${experiment.file} (hash ${experiment.hash.slice(0, 12)}); nothing was changed there. Pick another directory with --out, or remove it to start over`,
      );
    }
    return;
  }
  // Another `schedlab run` of the same file may be setting the directory up this very moment: what it
  // writes first (experiment.json, runs/) is ours too when the experiment is the same.
  if (existsSync(layout.experiment)) {
    let hash: string | undefined;
    try {
      hash = sha256(canonicalJson(JSON.parse(readFileSync(layout.experiment, 'utf8'))));
    } catch {
      hash = undefined;
    }
    if (hash !== experiment.hash && !ownsRuns(layout.experiment, experiment, runs)) {
      throw new SchedlabError(
        `results directory ${dir} holds experiment.json of another experiment file (no manifest.json yet), not of ${experiment.file}; nothing was changed there. Pick another directory with --out`,
      );
    }
  }
  const entries = readdirSync(dir).filter((n) => !n.startsWith('.') && n !== 'experiment.json' && n !== 'runs');
  if (entries.length > 0) {
    throw new SchedlabError(
      `results directory ${dir} is not empty and has no manifest.json, so it is not a schedlab results directory; nothing was changed there. Pick another directory with --out`,
    );
  }
}

/**
 * True when the experiment recorded in `experimentFile` (a results directory's experiment.json) expands to
 * `runs` (same run ids, hence the same configs and seeds), or, under the same experiment name, to a subset
 * of them: the file changed only in what defines no run, or added runs.
 */
function ownsRuns(experimentFile: string, experiment: LoadedExperiment, runs: RunSpec[]): boolean {
  try {
    const recordedSpec = validateExperiment(JSON.parse(readFileSync(experimentFile, 'utf8')), experimentFile);
    const recorded = expandRuns(recordedSpec, experimentFile).map((r) => r.id);
    const now = new Set(runs.map((r) => r.id));
    const subset = recorded.every((id) => now.has(id));
    return subset && (recorded.length === now.size || recordedSpec.name === experiment.spec.name);
  } catch {
    return false;
  }
}

/** The manifest as it is on disk, or undefined. */
export function readManifest(dir: string): Manifest | undefined {
  const file = resultsLayout(dir).manifest;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : undefined;
}
