import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { ensureWritableDir } from '../records/atomic.js';
import { writeTables } from '../tables/write.js';

export const tableCommand: CommandModule<object, { results: string; print: boolean }> = {
  command: 'table <results>',
  describe: 'aggregate the runs of a results directory over seeds into CSV, Markdown and LaTeX tables',
  builder: (y) =>
    y
      .positional('results', { type: 'string', demandOption: true, describe: 'results directory of `schedlab run`' })
      .option('print', { type: 'boolean', default: true, describe: 'print the Markdown tables' }),
  handler: ({ results, print }) => {
    // A results folder that cannot be written fails at once, naming the folder (the old tables stay).
    if (existsSync(resolve(results, 'experiment.json'))) ensureWritableDir(resolve(results));
    const { files, unfinished } = writeTables(resolve(results));
    if (unfinished > 0)
      process.stderr.write(
        `schedlab: warning: ${unfinished} runs of the experiment have no finished record (failed or not run yet); the tables cover the others\n`,
      );
    if (print) {
      for (const f of files.filter((f) => f.endsWith('.md'))) process.stdout.write(`${f}\n\n${readFileSync(f, 'utf8')}\n`);
    }
    process.stderr.write(`schedlab: wrote ${files.join(', ')}\n`);
  },
};
