/**
 * The on-disk layout of a results directory (one format, read by tables and figures):
 *
 *   manifest.json             package versions, Node, backend and device, git commit, experiment hash, seeds
 *   experiment.json           the parsed experiment file (tables and figures are rebuilt from it)
 *   runs/<run id>/            one directory per run, renamed into place when complete:
 *     run.json                  the resolved config, seeds and cell labels
 *     evaluation.json           the final evaluation (absent if the run failed)
 *     error.json                the error of a failed run (absent if it succeeded)
 *     curve.csv                 the learning curve (steps, episodes, logged metrics)
 *     validation.json           with model selection: every validation score and the model selected
 *     timing.json               wall-clock times, kept apart from every result
 *     checkpoint/               what `agent.save` wrote
 *   runs/.partial-<run id>/   a learned run in progress: its checkpoint every tenth of its budget, its curve
 *                             so far (curve.jsonl) and, with model selection, its validations so far
 *                             (validation.jsonl) and best model (validation-best/), so a run killed
 *                             half-way resumes from its last checkpoint; removed once the run is committed
 *   table.csv|md|tex, table-<name>.*, figures/, report.html
 */
import { join } from 'node:path';

/** The files of a run in progress, inside `resultsLayout(dir).partial(id)` (its checkpoint is `runFiles.checkpoint`). */
export const partialFiles = {
  curve: 'curve.jsonl',
  validations: 'validation.jsonl',
  bestModel: 'validation-best',
} as const;

export const resultsLayout = (dir: string) => ({
  dir,
  manifest: join(dir, 'manifest.json'),
  experiment: join(dir, 'experiment.json'),
  runs: join(dir, 'runs'),
  run: (id: string) => join(dir, 'runs', id),
  partial: (id: string) => join(dir, 'runs', `.partial-${id}`),
  figures: join(dir, 'figures'),
  slurm: join(dir, 'slurm'),
  report: join(dir, 'report.html'),
});

export const runFiles = {
  run: 'run.json',
  evaluation: 'evaluation.json',
  error: 'error.json',
  curve: 'curve.csv',
  timing: 'timing.json',
  validation: 'validation.json',
  checkpoint: 'checkpoint',
} as const;
