#!/usr/bin/env node
/**
 * The `schedlab` command line. Each command lives in its own file and is listed in `commands.ts`.
 * A user's mistake (a `SchedlabError`) prints one clear line and exits with status 2; a write the machine
 * refuses (a full disk, no permission, a file where a folder should be) prints one line naming the path,
 * what failed and what to do, and exits with status 1; only bugs show a stack trace.
 */
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SchedlabError } from '../../core/errors.js';
import { loadCommands } from './commands.js';
import { outputFailureLine, outputFolder } from './output-failure.js';

// yargs' CommonJS build: its help layout wraps at word boundaries (wrap-ansi); the ES module build cuts
// words in half ("evalu / ation").
const yargs = createRequire(import.meta.url)('yargs') as (argv: string[]) => Argv;

export async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('schedlab')
    .strict()
    .demandCommand(1, 'name a command (see --help)')
    .recommendCommands()
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .middleware((parsed) => rejectNaN(parsed, argv), true)
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

/**
 * A number flag given something that is not a number (`--workers abc`) parses to NaN; say what was given
 * instead of letting a check report "got NaN".
 */
function rejectNaN(parsed: Record<string, unknown>, argv: string[]): void {
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'number' || !Number.isNaN(value) || key === '_' || /[A-Z]/.test(key)) continue;
    const i = argv.findIndex((a) => a === `--${key}` || a.startsWith(`--${key}=`));
    const raw = i < 0 ? undefined : argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
    throw new SchedlabError(`--${key} takes a number, got ${raw === undefined ? 'nothing' : `'${raw}'`}`);
  }
}

function isUsageError(err: Error): boolean {
  return err instanceof SchedlabError || err.name === 'YError' || err.constructor === Error;
}

const args = hideBin(process.argv);
main(args).catch((err: unknown) => {
  const line = outputFailureLine(
    err,
    args.find((a) => !a.startsWith('-')),
    outputFolder(args),
  );
  if (line !== undefined) {
    process.stderr.write(`${line}\n`);
    process.exit(1);
  }
  if (err instanceof SchedlabError) {
    process.stderr.write(`schedlab: error: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
});
