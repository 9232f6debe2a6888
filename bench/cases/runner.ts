/**
 * The experiment runner's worker pool: one heuristic sweep of 40 runs (DeepRM cluster scheduling, SJF
 * and Packer over 5 loads × 4 seeds) run from scratch with 1 worker process and with 2. The issue's
 * target: 2 workers take at most 0.6× the time of 1 (reported as `time_vs_1_worker` on the 2-worker case).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweep } from '../../experiments/run/sweep.js';
import type { BenchCase } from '../harness.js';

const EXPERIMENT = `
name: bench-runner
seeds: {start: 0, count: 4}
evaluation: {episodes: 600, seedOffset: 1000}
tasks:
  - label: cluster
    env: {id: ClusterScheduling-v0, options: {preset: deeprm-train, newJobRate: 0.5}}
    agents: [sjf, packer]
sweep:
  env.options.newJobRate: {expr: "0.3:0.1:0.7"}
`;
const RUNS = 40;

export function runnerCases(): BenchCase[] {
  let dir = '';
  let file = '';
  // Made when a case runs, not when the cases are listed (a --filter may skip them).
  const setup = () => {
    if (dir) return;
    dir = mkdtempSync(join(tmpdir(), 'schedlab-bench-runner-'));
    file = join(dir, 'experiment.yaml');
    writeFileSync(file, EXPERIMENT);
  };
  const seconds: Record<number, number[]> = { 1: [], 2: [] };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sweep = (workers: 1 | 2) => async () => {
    const results = join(dir, `results-${workers}`);
    rmSync(results, { recursive: true, force: true });
    const t0 = process.hrtime.bigint();
    const summary = await runSweep(file, { resultsDir: results, workers, progress: false });
    seconds[workers].push(Number(process.hrtime.bigint() - t0) / 1e9);
    const ok = summary.outcomes.filter((o) => o.ok).length;
    if (ok !== RUNS) throw new Error(`bench sweep: ${ok} of ${RUNS} runs succeeded`);
    return ok;
  };
  return [1, 2].map((workers) => ({
    suite: 'runner',
    name: `heuristic sweep of ${RUNS} runs, ${workers} worker${workers > 1 ? 's' : ''}`,
    unit: 'runs',
    warmup: 0,
    repeats: 2,
    setup,
    run: sweep(workers as 1 | 2),
    extras: () => ({
      seconds: median(seconds[workers]),
      ...(workers === 2 && seconds[1].length ? { time_vs_1_worker: median(seconds[2]) / median(seconds[1]) } : {}),
    }),
    teardown: () => rmSync(join(dir, `results-${workers}`), { recursive: true, force: true }),
  }));
}
