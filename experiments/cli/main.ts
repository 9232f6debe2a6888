#!/usr/bin/env node
/**
 * The `schedlab` command line. Each command lives in its own file and is listed in `commands.ts`.
 * A user's mistake (a `SchedlabError`) prints one clear line and exits with status 2; only bugs show
 * a stack trace.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SchedlabError } from '../../core/errors.js';
import { loadCommands } from './commands.js';

export async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('schedlab')
    .strict()
    .demandCommand(1, 'name a command (see --help)')
    .recommendCommands()
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err, y) => {
      // Errors from a command's handler (msg null) go on to the catch below. Validation errors, yargs'
      // own or a plain Error/SchedlabError thrown by a command's .check(), are usage mistakes: one line,
      // no stack trace. Anything else thrown by a check (a TypeError...) is a bug and keeps its trace.
      if (err && (msg === null || !isUsageError(err))) throw err;
      process.stderr.write(`${y.help() && ''}schedlab: error: ${msg ?? err?.message}\nRun 'schedlab --help' for usage.\n`);
      process.exit(2);
    });
  const first = argv.find((a) => !a.startsWith('-'));
  for (const command of await loadCommands(first)) cli = cli.command(command);
  await cli.parseAsync();
}

function isUsageError(err: Error): boolean {
  return err instanceof SchedlabError || err.name === 'YError' || err.constructor === Error;
}

main(hideBin(process.argv)).catch((err: unknown) => {
  if (err instanceof SchedlabError) {
    process.stderr.write(`schedlab: error: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
});
