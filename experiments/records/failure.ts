/** Records a run that died without writing its own record (its worker process crashed or was killed). */
import { join } from 'node:path';
import type { RunSpec } from '../sweep/expand.js';
import { writeJsonAtomic } from './atomic.js';
import { runFiles } from './layout.js';
import { commitRunDir, stageRunDir } from './run-dir.js';

export function recordFailure(run: RunSpec, resultsDir: string, message: string): void {
  const staged = stageRunDir(resultsDir, run.id);
  writeJsonAtomic(join(staged, runFiles.run), run);
  writeJsonAtomic(join(staged, runFiles.error), { message });
  commitRunDir(resultsDir, run.id, staged);
}
