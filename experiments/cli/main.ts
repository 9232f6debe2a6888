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
import { OutputError, outputErrorCode } from '../records/atomic.js';
import { loadCommands } from './commands.js';

// yargs' CommonJS build: its help layout wraps at word boundaries (wrap-ansi); the ES module build cuts
// words in half ("evalu / ation").
const yargs = createRequire(import.meta.url)('yargs') as (argv: string[]) => Argv;

/** What is kept after a failed write, and how to go on, per command. */
const AFTER_FAILED_WRITE: Record<string, string> = {
  run: 'finished runs are kept in the results folder; rerun the same command to resume',
  start: 'finished runs are kept in the results folder; rerun the same command to resume',
  table: 'files written before are unchanged (each is replaced whole or not at all); rerun when there is room',
  plot: 'files written before are unchanged (each is replaced whole or not at all); rerun when there is room',
  reproduce: 'files written before are unchanged; rerun with another --out',
  train: 'checkpoints saved before are kept; rerun with --resume or another --out',
  export: 'a previous export in that folder is unchanged; rerun with another --out',
  slurm: 'scripts written before are unchanged; rerun with another --out',
};

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

/** One line for a write the machine refused: the path, what failed, what to do and what is kept. */
export function outputFailureLine(err: unknown, command: string | undefined): string | undefined {
  let line: string | undefined;
  if (err instanceof OutputError) line = err.message;
  else {
    const code = outputErrorCode(err);
    if (code === undefined) return undefined;
    const e = err as NodeJS.ErrnoException;
    const path = e.path ?? (e as { dest?: string }).dest ?? 'a file';
    const operation =
      e.syscall === 'mkdir' ? 'create the folder' : e.syscall === 'open' || e.syscall === 'write' ? 'write' : (e.syscall ?? 'write');
    line = new OutputError(path, operation, code).message;
  }
  const after = command !== undefined ? AFTER_FAILED_WRITE[command] : undefined;
  return `schedlab: error: ${line}${after ? ` (${after})` : ''}`;
}

const args = hideBin(process.argv);
main(args).catch((err: unknown) => {
  const line = outputFailureLine(
    err,
    args.find((a) => !a.startsWith('-')),
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
