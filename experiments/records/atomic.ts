/**
 * Atomic writes: a file is written under a temporary name in the same directory and renamed over the
 * target, so a reader (or a rerun after SIGKILL) sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function tempName(target: string): string {
  return join(dirname(target), `.tmp-${basename(target)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = tempName(target);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(target: string, value: unknown): void {
  writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}
