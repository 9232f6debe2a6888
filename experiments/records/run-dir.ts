/**
 * A run's record is built in a temporary directory next to its final place and renamed into
 * `runs/<id>` in one step, so `runs/<id>` is always complete: a run killed half-way leaves only a
 * `.tmp-<id>-<pid>-*` directory.
 *
 * Several `schedlab run` processes may share one results directory (two terminals, Slurm array tasks on a
 * shared file system). Each run is claimed before it starts by an exclusive create of `runs/.claim-<id>`
 * holding the claimant's pid and host; only the claimant stages, commits and then releases the run. A
 * claim whose process is gone (same host, pid not alive; another host's, not refreshed by its heartbeat for
 * ten minutes) is stale and is taken over, and only then are
 * the dead process's temporary directories of that run removed: a live process's are never touched.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tempName } from './atomic.js';
import { resultsLayout, runFiles } from './layout.js';

/** Creates the temporary directory of run `id`; fill it, then call `commitRunDir`. */
export function stageRunDir(resultsDir: string, id: string): string {
  const layout = resultsLayout(resultsDir);
  mkdirSync(layout.runs, { recursive: true });
  const tmp = tempName(layout.run(id));
  mkdirSync(tmp);
  return tmp;
}

/**
 * Moves a staged record into `runs/<id>`. A failed or incomplete record there is replaced; a finished one
 * (another process finished the same run first) is kept and the staged copy dropped.
 */
export function commitRunDir(resultsDir: string, id: string, staged: string): void {
  const target = resultsLayout(resultsDir).run(id);
  if (isFinished(resultsDir, id)) {
    rmSync(staged, { recursive: true, force: true });
    return;
  }
  if (existsSync(target)) {
    const old = tempName(target) + '-old';
    renameSync(target, old);
    rmSync(old, { recursive: true, force: true });
  }
  try {
    renameSync(staged, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    rmSync(staged, { recursive: true, force: true });
  }
}

/** The temporary directories left for run `id` (by this or any process). */
function stagedDirs(resultsDir: string, id: string): string[] {
  const dir = resultsLayout(resultsDir).runs;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith(`.tmp-${id}-`))
    .map((name) => join(dir, name));
}

/**
 * True when run `id` has a complete record: `run.json` naming it and `evaluation.json` (a failed run is
 * not finished, and neither is a directory missing its run.json).
 */
export function isFinished(resultsDir: string, id: string): boolean {
  const dir = resultsLayout(resultsDir).run(id);
  if (!existsSync(join(dir, runFiles.evaluation))) return false;
  try {
    return (JSON.parse(readFileSync(join(dir, runFiles.run), 'utf8')) as { id?: unknown }).id === id;
  } catch {
    return false;
  }
}

// ---- claims --------------------------------------------------------------------------------------

export interface Claim {
  pid: number;
  host: string;
  startedAt: string;
}

export const claimFile = (resultsDir: string, id: string) => join(resultsLayout(resultsDir).runs, `.claim-${id}`);

/** The claim in claim file `file`, or undefined when there is none or it is not (yet) readable. */
export function readClaim(file: string): Claim | undefined {
  try {
    const claim = JSON.parse(readFileSync(file, 'utf8')) as Claim;
    return typeof claim.pid === 'number' && typeof claim.host === 'string' ? claim : undefined;
  } catch {
    return undefined;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How often a claimant refreshes its claims' modification time (`heartbeat`). */
export const HEARTBEAT_MS = 60_000;
/** A claim from another host not refreshed for this long is stale (its node died or lost the file system). */
export const STALE_AFTER_MS = 10 * 60_000;

/**
 * A claim (read from `file`) is stale when its process is known to be gone: on this host, its pid is not
 * alive; from another host (nodes of a cluster sharing the results directory), it was not refreshed for
 * STALE_AFTER_MS.
 */
export function isStale(file: string, claim: Claim | undefined): boolean {
  if (claim === undefined) return false;
  if (claim.host === hostname()) return !pidAlive(claim.pid);
  try {
    return Date.now() - statSync(file).mtimeMs > STALE_AFTER_MS;
  } catch {
    return false;
  }
}

/** Refreshes the modification time of this process's claims of `ids`, so other hosts see them alive. */
export function heartbeat(resultsDir: string, ids: Iterable<string>): void {
  const now = new Date();
  for (const id of ids) {
    try {
      utimesSync(claimFile(resultsDir, id), now, now);
    } catch {
      // Released meanwhile.
    }
  }
}

export type ClaimResult = { ok: true } | { ok: false; finished: true } | { ok: false; finished: false; holder: Claim | undefined };

/**
 * Claims run `id` for this process: by exclusive create of its claim file. A stale claim (its process
 * gone) is taken over, and the dead process's temporary directories of the run are removed. A run that
 * is finished (unless `finishedToo`: re-evaluation rewrites finished runs), or claimed by a live process
 * (or one on another host), is not claimed.
 */
export function claimRun(resultsDir: string, id: string, { finishedToo = false } = {}): ClaimResult {
  mkdirSync(resultsLayout(resultsDir).runs, { recursive: true });
  const file = claimFile(resultsDir, id);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!finishedToo && isFinished(resultsDir, id)) return { ok: false, finished: true };
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readClaim(file);
      if (holder === undefined && !leftEmpty(file)) {
        // Being written right now by its claimant.
        return { ok: false, finished: false, holder };
      }
      if (holder !== undefined && !isStale(file, holder)) return { ok: false, finished: false, holder };
      takeOver(file, holder);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() } satisfies Claim) + '\n');
    } finally {
      closeSync(fd);
    }
    if (!finishedToo && isFinished(resultsDir, id)) {
      releaseRun(resultsDir, id);
      return { ok: false, finished: true };
    }
    // Ours now: whatever temporary directory of this run exists was left by a process that is gone.
    for (const dir of stagedDirs(resultsDir, id)) rmSync(dir, { recursive: true, force: true });
    return { ok: true };
  }
  return { ok: false, finished: false, holder: readClaim(file) };
}

/** A claim file that stayed empty or unreadable for a minute: its claimant died between create and write. */
function leftEmpty(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > 60_000;
  } catch {
    return false;
  }
}

/**
 * Removes the stale claim `file` (as read: `holder`) under a takeover lock, so that two processes taking
 * over the same claim at once cannot remove each other's fresh claim; the caller then claims afresh.
 */
function takeOver(file: string, holder: Claim | undefined): void {
  const lock = `${file}.takeover`;
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    let pid = NaN;
    try {
      pid = Number(readFileSync(lock, 'utf8').trim() || NaN);
    } catch {
      // Released meanwhile.
    }
    if (Number.isInteger(pid) && !pidAlive(pid)) rmSync(lock, { force: true });
    return;
  }
  try {
    writeSync(fd, String(process.pid));
    closeSync(fd);
    const again = readClaim(file);
    const same =
      again === undefined ? holder === undefined : holder !== undefined && again.pid === holder.pid && again.startedAt === holder.startedAt;
    if (same) rmSync(file, { force: true });
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Removes the temporary directories of the given runs that no live process can be writing: those of runs
 * nobody claims (or whose claim is stale); and the stale claims of finished runs. Listed before the claims are read, so a directory staged under a
 * claim made meanwhile is never taken for a leftover.
 */
export function removeUnclaimedStaging(resultsDir: string, ids: Iterable<string>): void {
  const dir = resultsLayout(resultsDir).runs;
  if (!existsSync(dir)) return;
  const wanted = new Set(ids);
  const byId = new Map<string, string[]>();
  for (const name of readdirSync(dir)) {
    const m = /^\.tmp-([0-9a-f]{16})-/.exec(name);
    if (m && wanted.has(m[1])) byId.set(m[1], [...(byId.get(m[1]) ?? []), join(dir, name)]);
  }
  for (const [id, dirs] of byId) {
    const file = claimFile(resultsDir, id);
    if (existsSync(file) && !isStale(file, readClaim(file))) continue;
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  // The claim of a run finished by a process killed before it could release it.
  for (const id of wanted) {
    const file = claimFile(resultsDir, id);
    if (!existsSync(file) || !isFinished(resultsDir, id)) continue;
    const holder = readClaim(file);
    if (isStale(file, holder)) takeOver(file, holder);
  }
}

/** Releases this process's claim of run `id` (nothing if the claim is not ours). */
export function releaseRun(resultsDir: string, id: string): void {
  const claim = readClaim(claimFile(resultsDir, id));
  if (claim && claim.pid === process.pid && claim.host === hostname()) rmSync(claimFile(resultsDir, id), { force: true });
}
