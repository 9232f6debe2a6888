/**
 * The one line `schedlab` prints for a write the machine refused (a full disk, no permission, a file where
 * a folder should be): the path, what failed, what to do, and what the command keeps.
 */
import { OutputError, outputErrorCode } from '../records/atomic.js';

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

/**
 * One line for a write the machine refused: the path, what failed, what to do and what is kept. A write
 * that does not say its file (a full disk reports no path) names the command's output folder, `out`.
 */
export function outputFailureLine(err: unknown, command: string | undefined, out?: string): string | undefined {
  let line: string | undefined;
  if (err instanceof OutputError) line = err.message;
  else {
    const code = outputErrorCode(err);
    if (code === undefined) return undefined;
    const e = err as NodeJS.ErrnoException;
    const path = e.path ?? (e as { dest?: string }).dest;
    const operation =
      e.syscall === 'mkdir' ? 'create the folder' : e.syscall === 'open' || e.syscall === 'write' ? 'write' : (e.syscall ?? 'write');
    line =
      path !== undefined
        ? new OutputError(path, operation, code).message
        : new OutputError(out ?? 'the output', out !== undefined ? 'write into' : 'write', code).message;
  }
  const after = command !== undefined ? AFTER_FAILED_WRITE[command] : undefined;
  return `schedlab: error: ${line}${after ? ` (${after})` : ''}`;
}

/** The output folder a command line names: --out (or its alias --results), else the results positional of table and plot. */
export function outputFolder(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(out|results)(=(.*))?$/.exec(argv[i]);
    if (m) return m[2] !== undefined ? m[3] : argv[i + 1];
  }
  const positionals = argv.filter((a) => !a.startsWith('-'));
  return positionals[0] === 'table' || positionals[0] === 'plot' ? positionals[1] : undefined;
}
