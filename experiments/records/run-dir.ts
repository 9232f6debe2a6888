/**
 * A run's record is built in a temporary directory next to its final place and renamed into
 * `runs/<id>` in one step, so `runs/<id>` is always complete: a run killed half-way leaves only a
 * `.tmp-*` directory, which the next `schedlab run` removes before rerunning it.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempName } from './atomic.js';
import { resultsLayout, runFiles } from './layout.js';

/** Creates the temporary directory of run `id`; fill it, then call `commitRunDir`. */
export function stageRunDir(resultsDir: string, id: string): string {
  const layout = resultsLayout(resultsDir);
  mkdirSync(layout.runs, { recursive: true });
  const tmp = tempName(layout.run(id));
  mkdirSync(tmp);
  return tmp;
}

/**
 * Moves a staged record into `runs/<id>`. A failed record there is replaced; a successful one (another
 * process finished the same run first) is kept and the staged copy dropped.
 */
export function commitRunDir(resultsDir: string, id: string, staged: string): void {
  const target = resultsLayout(resultsDir).run(id);
  if (existsSync(join(target, runFiles.evaluation))) {
    rmSync(staged, { recursive: true, force: true });
    return;
  }
  if (existsSync(target)) {
    const old = tempName(target) + '-old';
    renameSync(target, old);
    rmSync(old, { recursive: true, force: true });
  }
  try {
    renameSync(staged, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    rmSync(staged, { recursive: true, force: true });
  }
}

/** Removes the temporary directories a killed process left for the given runs. */
export function removeStaleStaging(resultsDir: string, ids: Iterable<string>): void {
  const dir = resultsLayout(resultsDir).runs;
  if (!existsSync(dir)) return;
  const wanted = new Set(ids);
  for (const name of readdirSync(dir)) {
    const m = /^\.tmp-([0-9a-f]+)-/.exec(name);
    if (m && wanted.has(m[1])) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** True when run `id` finished with an evaluation (a failed run is not finished). */
export function isFinished(resultsDir: string, id: string): boolean {
  return existsSync(join(resultsLayout(resultsDir).run(id), runFiles.evaluation));
}
