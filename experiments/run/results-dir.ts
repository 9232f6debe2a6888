/**
 * Opens a results directory for an experiment: creates it, checks it is writable, and refuses one that
 * holds another experiment's results, touching nothing there. Results are another experiment's when the
 * file's hash differs and its runs differ too: a file changed only in its tables, figures or description
 * still owns its runs (experiment.json and the manifest are then rewritten from it).
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
    if (manifest.experiment.hash !== experiment.hash && !sameRuns(layout.experiment, runs)) {
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
    if (hash !== experiment.hash && !sameRuns(layout.experiment, runs)) {
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
 * exactly `runs` (same run ids, hence the same configs and seeds): the file changed only in what defines no
 * run (tables, figures, description), so its results are still the file's.
 */
function sameRuns(experimentFile: string, runs: RunSpec[]): boolean {
  try {
    const recorded = expandRuns(validateExperiment(JSON.parse(readFileSync(experimentFile, 'utf8')), experimentFile), experimentFile);
    const ids = (rs: RunSpec[]) =>
      rs
        .map((r) => r.id)
        .sort()
        .join();
    return ids(recorded) === ids(runs);
  } catch {
    return false;
  }
}

/** The manifest as it is on disk, or undefined. */
export function readManifest(dir: string): Manifest | undefined {
  const file = resultsLayout(dir).manifest;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : undefined;
}
