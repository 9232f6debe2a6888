/**
 * Atomic writes: a file is written under a temporary name in the same directory and renamed over the
 * target, so a reader (or a rerun after SIGKILL) sees the old file or the new one, never half of one.
 *
 * A write that fails for a reason of the machine (a full disk, no permission, a file where a folder should
 * be) throws an `OutputError`: one line naming the target, what failed and what to do. The old file, if
 * any, is left as it was and the temporary file is removed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SchedlabError } from '../../core/errors.js';

/** The file-system calls the writers use; tests replace them to simulate a full disk. */
export const io = { writeFileSync, renameSync, mkdirSync };

/** Error codes of a write that fails because of the machine, not of schedlab: what they mean and what to do. */
export const OUTPUT_ERRORS: Record<string, { reason: string; advice: string }> = {
  ENOSPC: { reason: 'no space left on the device', advice: 'free some space or write elsewhere' },
  EDQUOT: { reason: 'the disk quota is exceeded', advice: 'free some space or write elsewhere' },
  EACCES: { reason: 'permission denied', advice: 'choose a folder you can write to, or fix its permissions' },
  EPERM: { reason: 'operation not permitted', advice: 'choose a folder you can write to, or fix its permissions' },
  EROFS: { reason: 'the file system is read-only', advice: 'choose a folder on a writable file system' },
  ENOTDIR: { reason: 'a part of the path is a file, not a folder', advice: 'choose another path' },
  EISDIR: { reason: 'the path is a folder', advice: 'choose a file path' },
  EEXIST: { reason: 'a file is in the way', advice: 'choose another path or remove the file' },
  EMFILE: { reason: 'too many open files', advice: 'raise the open-file limit (ulimit -n) and rerun' },
  EIO: { reason: 'an input/output error on the device', advice: 'check the disk and rerun' },
};

/** A failed write of an output: `schedlab: error: cannot write <path>: <reason> (<code>); <advice>`. */
export class OutputError extends SchedlabError {
  constructor(
    readonly target: string,
    readonly operation: string,
    readonly code: string,
    /** The flag that chose the path (`--out`), named in the advice. */
    flag?: string,
  ) {
    const known = OUTPUT_ERRORS[code];
    super(
      `cannot ${operation} ${target}: ${known?.reason ?? 'failed'} (${code})${known ? `; ${known.advice}${flag ? ` (${flag})` : ''}` : ''}`,
    );
  }
}

/** The errno code of an output failure (ENOSPC, EACCES, ...), or undefined for any other error. */
export function outputErrorCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && Object.hasOwn(OUTPUT_ERRORS, code) ? code : undefined;
}

/** Runs `write`; an output failure (ENOSPC, EACCES, ...) becomes an OutputError naming `target`. */
export function asOutputError<T>(target: string, operation: string, write: () => T, flag?: string): T {
  try {
    return write();
  } catch (e) {
    const code = outputErrorCode(e);
    if (code === undefined) throw e;
    throw new OutputError(target, operation, code, flag);
  }
}

export function tempName(target: string): string {
  return join(dirname(target), `.tmp-${basename(target)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  asOutputError(dirname(target), 'create the folder', () => io.mkdirSync(dirname(target), { recursive: true }));
  const tmp = tempName(target);
  try {
    asOutputError(target, 'write', () => {
      io.writeFileSync(tmp, data);
      io.renameSync(tmp, target);
    });
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(target: string, value: unknown): void {
  writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Checks up front that `dir` can be created and written (a small probe file, removed again), so a
 * command fails at once, before any work, with an OutputError naming the folder and what to do.
 */
export function ensureWritableDir(dir: string, flag?: string): void {
  asOutputError(dir, 'create the folder', () => io.mkdirSync(dir, { recursive: true }), flag);
  const probe = join(dir, `.tmp-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  asOutputError(dir, 'write into', () => io.writeFileSync(probe, ''), flag);
  rmSync(probe, { force: true });
}
