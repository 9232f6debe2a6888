import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CommandModule } from 'yargs';
import { ensureWritableDir } from '../records/atomic.js';
import { packageRoot } from '../records/manifest.js';
import { runSweep } from '../run/sweep.js';

export const quickstartFile = () => join(packageRoot(), 'experiments', 'quickstart.yaml');

export const startCommand: CommandModule<object, { workers?: number; out: string; quiet: boolean; progress: boolean }> = {
  command: 'start',
  describe: 'the quickstart (`npm start`): heuristics vs a short PPO run on the three domains, 3 seeds; tables, figures, report.html',
  builder: (y) =>
    y
      .option('workers', { type: 'number', describe: 'worker processes (default: one per core)' })
      .option('out', { alias: 'results', type: 'string', default: 'results/quickstart', describe: 'results directory' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar on stderr (also --no-progress)' })
      .option('progress', {
        type: 'boolean',
        default: true,
        hidden: true,
        describe: 'the progress bar on stderr (--no-progress = --quiet)',
      }),
  handler: async ({ workers, out: results, quiet, progress }) => {
    const file = quickstartFile();
    ensureWritableDir(results, '--out');
    process.stderr.write(`schedlab: running ${relative('.', file) || file} (rerun to resume; finished runs are kept)\n`);
    const summary = await runSweep(file, { resultsDir: results, workers, progress: progress && !quiet });
    const failed = summary.outcomes.filter((o) => !o.ok);
    const { figures, report } = await (await import('../figures/write.js')).writePlots(summary.resultsDir);
    const dir = summary.resultsDir;
    const rel = (f: string) => relative('.', f) || f;
    process.stdout.write(readFileSync(join(dir, 'table.md'), 'utf8'));
    process.stdout.write(
      [
        '',
        `Results of ${summary.runs.length} runs (${summary.skipped} kept from before, ${failed.length} failed) are in ${rel(dir)}/:`,
        `  tables   ${['table.csv', 'table.md', 'table.tex'].join(', ')} and table-<name>.* per domain`,
        `  figures  ${rel(join(dir, 'figures'))}/ (${figures.map((f) => f.name).join(', ')}; .svg, .png, .vl.json)`,
        `  report   ${rel(report)}`,
        '',
      ].join('\n'),
    );
    for (const f of failed) process.stderr.write(`schedlab: run ${f.id} failed: ${f.error}\n`);
    if (failed.length) process.exitCode = 1;
  },
};
