/**
 * The Slurm path against a real single-node Slurm (started by .ci/start-slurm.sh when sbatch is missing
 * or no node is up): a 4-task job array runs the sweep shard by shard into one results directory, and
 * the merged tables equal those of a local run byte for byte. Skipped only when Slurm is missing and
 * apt-get is not there to install it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeExperiment } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'experiments', 'cli', 'main.js');
let skipReason: string | undefined;

function slurmUp(): boolean {
  const r = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' });
  return r.status === 0 && /^(idle|mixed|allocated|completing)/m.test(r.stdout);
}

beforeAll(() => {
  if (!existsSync(main)) execFileSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'ignore' });
  if (slurmUp()) return;
  const r = spawnSync('bash', [join(root, '.ci', 'start-slurm.sh')], { encoding: 'utf8' });
  if (r.status === 3) {
    skipReason = `Slurm test skipped: ${r.stderr.trim()}`;
    console.warn(skipReason);
    return;
  }
  if (r.status !== 0) throw new Error(`.ci/start-slurm.sh failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}, 300_000);

describe('schedlab slurm', () => {
  it('a 4-shard job array merges into the same tables as a local run', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const dir = tempDir();
    const file = writeExperiment(dir, { name: 'slurm-test', seeds: [0, 1, 2, 3, 4, 5], sweep: { 'evaluation.episodes': [2, 4] } });
    const local = join(dir, 'local');
    const cluster = join(dir, 'cluster');
    const run = spawnSync(process.execPath, [main, 'run', file, '--results', local, '--workers', '2', '--no-progress'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);

    const slurm = spawnSync(process.execPath, [main, 'slurm', file, '--shards', '4', '--results', cluster, '--submit', '--wait'], { cwd: dir, encoding: 'utf8' });
    expect(slurm.status, slurm.stderr).toBe(0);
    expect(slurm.stderr).toContain('12 runs in 4 array tasks');
    expect(readFileSync(join(cluster, 'slurm', 'array.sbatch'), 'utf8')).toContain('#SBATCH --array=0-3');
    // Each array task ran its own shard: 3 runs each.
    const logs = readdirSync(join(cluster, 'slurm')).filter((f) => /^\d+_\d\.out$/.test(f));
    expect(logs).toHaveLength(4);
    for (const log of logs) expect(readFileSync(join(cluster, 'slurm', log), 'utf8')).toMatch(/3 runs done, 0 failed, 0 already finished \(of 3 in shard [0-3]\/4\)/);

    expect(readdirSync(join(cluster, 'runs')).sort()).toEqual(readdirSync(join(local, 'runs')).sort());
    for (const name of ['table.csv', 'table.md', 'table.tex']) {
      expect(readFileSync(join(cluster, name), 'utf8'), name).toBe(readFileSync(join(local, name), 'utf8'));
    }
    expect(existsSync(join(cluster, 'report.html'))).toBe(true);
  }, 240_000);
});
