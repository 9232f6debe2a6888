/**
 * The real command line (dist/experiments/cli/main.js, built by `npm test`'s tsc step): SIGKILL in the
 * middle of a sweep, then a rerun, must leave every run exactly once and no corrupted file.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEntries, tempDir, writeExperiment } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'experiments', 'cli', 'main.js');

beforeAll(() => {
  if (!existsSync(main)) execFileSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'ignore' });
}, 180_000);

const cli = (args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });

/** Child processes of `pid`, from /proc (field 4 of /proc/<pid>/stat is the parent). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('schedlab run (command line)', () => {
  it('survives SIGKILL mid-sweep: the rerun leaves every run exactly once and every file whole', async () => {
    const dir = tempDir();
    // 24 runs of 20k-50k CartPole episodes each (0.1-0.3 s on an idle machine): long enough to be killed in the middle.
    const file = writeExperiment(dir, {
      seeds: { start: 0, count: 6 },
      evaluation: { episodes: 400, seedOffset: 1000 },
      sweep: { 'evaluation.episodes': [20_000, 30_000, 40_000, 50_000] },
    });
    const results = join(dir, 'results');
    const dry = cli(['run', file, '--dry-run', '--results', results]);
    expect(dry.status).toBe(0);
    const ids = [...dry.stdout.matchAll(/^\s*\d+\s+([0-9a-f]{16})\s+pending/gm)].map((m) => m[1]).sort();
    expect(ids).toHaveLength(24);
    expect(existsSync(results)).toBe(false);

    const child = spawn(process.execPath, [main, 'run', file, '--workers', '2', '--results', results, '--no-progress'], {
      stdio: 'ignore',
    });
    let workers: number[] = [];
    for (let t = 0; t < 600; t++) {
      await sleep(50);
      workers = childrenOf(child.pid!);
      if (runEntries(results).filter((e) => !e.startsWith('.')).length >= 3) break;
    }
    const before = runEntries(results).filter((e) => !e.startsWith('.')).length;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(24);
    expect(workers.length).toBe(2);
    // The workers notice their parent is gone and exit.
    for (let t = 0; t < 100 && workers.some(alive); t++) await sleep(50);
    expect(workers.filter(alive)).toEqual([]);

    const rerun = cli(['run', file, '--workers', '2', '--results', results, '--no-progress']);
    expect(rerun.stderr).toMatch(new RegExp(`(\\d+) runs done, 0 failed, (\\d+) already finished \\(of 24\\)`));
    const [, done, skipped] = /(\d+) runs done, 0 failed, (\d+) already finished/.exec(rerun.stderr)!;
    expect(Number(done) + Number(skipped)).toBe(24);
    expect(Number(skipped)).toBeGreaterThanOrEqual(before);
    expect(rerun.status).toBe(0);
    expect(runEntries(results)).toEqual(ids);
    for (const id of ids) {
      const runDir = join(results, 'runs', id);
      expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).id).toBe(id);
      const evaluation = JSON.parse(readFileSync(join(runDir, 'evaluation.json'), 'utf8'));
      expect(evaluation.metrics.return.values).toHaveLength(evaluation.episodes);
      expect(JSON.parse(readFileSync(join(runDir, 'checkpoint', 'agent.json'), 'utf8')).agent).toBe('random');
    }
    const csv = readFileSync(join(results, 'table.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + 4);
    expect(csv.slice(1).every((line) => line.split(',')[4] === '6')).toBe(true);
  }, 180_000);

  it('stops a run past --run-timeout, records it as failed and goes on', () => {
    const dir = tempDir();
    // Two quick runs and one of 20 million episodes (about a minute), which the timeout stops.
    const file = writeExperiment(dir, { seeds: [0], sweep: { 'evaluation.episodes': [1, 20_000_000, 2] } });
    const results = join(dir, 'r');
    const r = cli(['run', file, '--workers', '1', '--run-timeout', '2', '--results', results, '--no-progress']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('2 runs done, 1 failed');
    expect(r.stderr).toContain('longer than the run timeout of 2 s');
    const csv = readFileSync(join(results, 'table.csv'), 'utf8').trim().split('\n');
    expect(csv.map((line) => line.split(',').slice(2, 4).join(','))).toEqual([
      'evaluation.episodes,failed_runs',
      '1,0',
      '20000000,1',
      '2,0',
    ]);
  }, 60_000);

  it('reports bad input in one line with exit status 2', () => {
    const dir = tempDir();
    const file = writeExperiment(dir, { tasks: [{ env: 'CartPole-v1', agents: ['nope'] }] });
    const r = cli(['run', file, '--results', join(dir, 'r')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown agent 'nope'. Known agents:");
    expect(r.stderr).not.toContain('    at ');
    const shard = cli(['run', writeExperiment(dir, {}, 'ok.yaml'), '--shard', '3/3', '--dry-run']);
    expect(shard.status).toBe(2);
    expect(shard.stderr).toContain('0 <= i < n');
    const missing = cli(['table', join(dir, 'nothing-here')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('not a schedlab results directory');
  });

  it('two runs started at the same instant on a new folder both work: each run is done once, both write the full tables', async () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {
      seeds: { start: 0, count: 4 },
      evaluation: { episodes: 2000, seedOffset: 1000 },
      sweep: { 'evaluation.episodes': [2000, 3000] },
    });
    const results = join(dir, 'results');
    const start = () => {
      const child = spawn(process.execPath, [main, 'run', file, '--workers', '1', '--results', results, '--no-progress'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
    };
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const done = [a, b].map((r) => Number(/(\d+) runs done, 0 failed/.exec(r.stderr)?.[1]));
    expect(done[0] + done[1]).toBe(8);
    for (const r of [a, b]) expect(r.stderr).toMatch(/\(of 8\)/);
    const entries = runEntries(results);
    expect(entries).toHaveLength(8);
    expect(entries.every((e) => /^[0-9a-f]{16}$/.test(e))).toBe(true);
    for (const id of entries) {
      const runDir = join(results, 'runs', id);
      expect(readdirSync(runDir).sort()).toEqual(['checkpoint', 'curve.csv', 'evaluation.json', 'run.json', 'timing.json']);
      expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).id).toBe(id);
    }
    const csv = readFileSync(join(results, 'table.csv'), 'utf8').trim().split('\n');
    expect(csv.slice(1).every((line) => line.split(',')[4] === '4')).toBe(true);
  }, 120_000);

  it('SIGINT to the parent stops its workers at once, says what was saved and how to resume; the rerun resumes', async () => {
    const dir = tempDir();
    // Two quick runs, then two that would take hours (a billion episodes): no clock needed, the parent can only
    // exit at all if it stops the workers busy on them.
    const file = writeExperiment(dir, { seeds: [0, 1], sweep: { 'evaluation.episodes': [1, 1_000_000_000] } });
    const results = join(dir, 'results');
    const child = spawn(process.execPath, [main, 'run', file, '--workers', '2', '--results', results, '--no-progress'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let workers: number[] = [];
    // Wait until the quick runs are saved and both workers hold a long one.
    for (;;) {
      await sleep(50);
      expect(child.exitCode, stderr).toBeNull();
      workers = childrenOf(child.pid!);
      const entries = runEntries(results);
      const finished = entries.filter((e) => !e.startsWith('.')).length;
      if (finished === 2 && entries.filter((e) => e.startsWith('.claim-')).length === 2 && workers.length === 2) break;
    }
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(workers.filter(alive)).toEqual([]);
    expect(stderr).toMatch(
      /interrupted \(SIGINT\): the workers were stopped; 2 runs were completed and saved by this process in .*results, and learned runs in progress continue from their last checkpoint \(every tenth of their budget\) when you resume with:\n {2}schedlab run /,
    );
    // Nothing half-done is left: no claim, no temporary folder, no failure recorded for the stopped runs.
    const entries = runEntries(results);
    expect(entries.filter((e) => e.startsWith('.'))).toEqual([]);
    expect(entries).toHaveLength(2);
    for (const id of entries) expect(existsSync(join(results, 'runs', id, 'error.json'))).toBe(false);
    // The rerun keeps the two saved runs and takes up the other two (stopped here by a timeout: they are endless).
    const rerun = cli(['run', file, '--workers', '2', '--results', results, '--no-progress', '--run-timeout', '1']);
    expect(rerun.stderr).toContain('0 runs done, 2 failed, 2 already finished (of 4)');
    expect(rerun.status).toBe(1);
  }, 120_000);

  it('--dry-run refuses a misspelt agent option in one line', () => {
    const dir = tempDir();
    const file = writeExperiment(dir, {
      tasks: [{ label: 'cartpole', env: 'CartPole-v1', agents: [{ name: 'ppo', totalSteps: 512, options: { numEnv: 2 } }] }],
    });
    const r = cli(['run', file, '--dry-run', '--results', join(dir, 'r')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("agent.options of task 'cartpole', agent 'ppo'");
    expect(r.stderr).toContain("option 'numEnv' is not an option; accepted: one of");
  });
});
