/**
 * `npm run bench [-- --json] [-- --filter TEXT]`: runs every benchmark case listed in `cases/index.ts`.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { allCases } from './cases/index.js';
import { formatResult, runCase, type BenchResult } from './harness.js';

const args = await yargs(hideBin(process.argv))
  .scriptName('npm run bench --')
  .option('json', { type: 'boolean', default: false, describe: 'print the results as JSON' })
  .option('filter', { type: 'string', describe: 'run only cases whose "suite/name" contains this text' })
  .strict()
  .help()
  .parseAsync();

const results: BenchResult[] = [];
for (const c of allCases()) {
  if (args.filter && !`${c.suite}/${c.name}`.includes(args.filter)) continue;
  const result = await runCase(c);
  results.push(result);
  if (!args.json) process.stdout.write(formatResult(result) + '\n');
}
if (args.json) process.stdout.write(JSON.stringify({ node: process.version, results }, null, 2) + '\n');
