/**
 * The Slurm path against a real single-node Slurm: a 4-task job array runs the sweep shard by shard into
 * one results directory, and the merged tables equal those of a local run byte for byte.
 *
 * It runs when a Slurm node is reachable (`sinfo` lists one up) or when SCHEDLAB_SLURM=1 asks for it
 * (`.ci/run` starts a one-node Slurm with .ci/start-slurm.sh and sets it; then a missing Slurm is a
 * failure). Otherwise it skips and says why. It never installs or starts Slurm itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeExperiment } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'experiments', 'cli', 'main.js');

/** Whether a Slurm node is up, or why not. */
function slurmState(): { up: true } | { up: false; why: string } {
  const r = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' });
  if (r.error) return { up: false, why: `sinfo is not available (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status !== 0) return { up: false, why: `sinfo failed (exit ${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}` };
  if (!/^(idle|mixed|allocated|completing)/m.test(r.stdout))
    return { up: false, why: `no Slurm node is up (sinfo: ${r.stdout.trim() || 'no nodes'})` };
  return { up: true };
}

const requested = process.env.SCHEDLAB_SLURM === '1';
const state = slurmState();
const skipReason = state.up
  ? undefined
  : `Slurm test skipped: ${state.why}; start a Slurm (as root: .ci/start-slurm.sh) and set SCHEDLAB_SLURM=1 to run it`;

beforeAll(() => {
  if (requested && !state.up)
    throw new Error(`SCHEDLAB_SLURM=1 asks for the Slurm test, but ${state.why} (.ci/run starts one with .ci/start-slurm.sh)`);
  if (skipReason) {
    console.warn(skipReason);
    return;
  }
  if (!existsSync(main)) execFileSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'ignore' });
}, 180_000);

describe('schedlab slurm', () => {
  it('a 4-shard job array merges into the same tables as a local run', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const dir = tempDir();
    const file = writeExperiment(dir, { name: 'slurm-test', seeds: [0, 1, 2, 3, 4, 5], sweep: { 'evaluation.episodes': [2, 4] } });
    const local = join(dir, 'local');
    const cluster = join(dir, 'cluster');
    const run = spawnSync(process.execPath, [main, 'run', file, '--results', local, '--workers', '2', '--no-progress'], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);

    const slurm = spawnSync(process.execPath, [main, 'slurm', file, '--shards', '4', '--results', cluster, '--submit', '--wait'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(slurm.status, slurm.stderr).toBe(0);
    expect(slurm.stderr).toContain('12 runs in 4 array tasks');
    expect(readFileSync(join(cluster, 'slurm', 'array.sbatch'), 'utf8')).toContain('#SBATCH --array=0-3');
    // Each array task ran its own shard: 3 runs each.
    const logs = readdirSync(join(cluster, 'slurm')).filter((f) => /^\d+_\d\.out$/.test(f));
    expect(logs).toHaveLength(4);
    for (const log of logs)
      expect(readFileSync(join(cluster, 'slurm', log), 'utf8')).toMatch(
        /3 runs done, 0 failed, 0 already finished \(of 3 in shard [0-3]\/4\)/,
      );

    expect(readdirSync(join(cluster, 'runs')).sort()).toEqual(readdirSync(join(local, 'runs')).sort());
    for (const name of ['table.csv', 'table.md', 'table.tex']) {
      expect(readFileSync(join(cluster, name), 'utf8'), name).toBe(readFileSync(join(local, name), 'utf8'));
    }
    expect(existsSync(join(cluster, 'report.html'))).toBe(true);
  }, 240_000);
});
