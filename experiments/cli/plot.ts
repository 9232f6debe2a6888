import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { ensureWritableDir } from '../records/atomic.js';

export const plotCommand: CommandModule<object, { results: string }> = {
  command: 'plot <results>',
  describe: 'learning curves and bar charts (Vega-Lite, SVG, PNG) and report.html for a results directory',
  builder: (y) => y.positional('results', { type: 'string', demandOption: true, describe: 'results directory of `schedlab run`' }),
  handler: async ({ results }) => {
    // A results folder that cannot be written fails at once, naming the folder (the old figures stay).
    if (existsSync(resolve(results, 'experiment.json'))) ensureWritableDir(resolve(results, 'figures'));
    const { figures, report } = await (await import('../figures/write.js')).writePlots(resolve(results));
    for (const f of figures) process.stderr.write(`schedlab: figure ${f.files.join(', ')}\n`);
    process.stdout.write(`${report}\n`);
  },
};
