import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';

export const plotCommand: CommandModule<object, { results: string }> = {
  command: 'plot <results>',
  describe: 'learning curves and bar charts (Vega-Lite, SVG, PNG) and report.html for a results directory',
  builder: (y) => y.positional('results', { type: 'string', demandOption: true, describe: 'results directory of `schedlab run`' }),
  handler: async ({ results }) => {
    const { figures, report } = await (await import('../figures/write.js')).writePlots(resolve(results));
    for (const f of figures) process.stderr.write(`schedlab: figure ${f.files.join(', ')}\n`);
    process.stdout.write(`${report}\n`);
  },
};
