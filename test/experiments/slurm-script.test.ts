import { describe, expect, it } from 'vitest';
import { arrayScript, finishScript } from '../../experiments/slurm/script.js';

const options = {
  name: 'exp',
  experiment: "/shared/it's/exp.yaml",
  resultsDir: '/shared/results/exp',
  workdir: '/home/me',
  node: '/usr/bin/node',
  main: '/opt/schedlab/dist/experiments/cli/main.js',
  shards: 8,
  arrayParallelism: 3,
  partition: 'gpu',
  time: '01:30:00',
  cpusPerTask: 4,
};

describe('sbatch scripts', () => {
  it('one array task per shard, each running its shard with the task CPUs as workers', () => {
    const s = arrayScript(options);
    expect(s.split('\n')[0]).toBe('#!/bin/bash');
    for (const line of [
      '#SBATCH --array=0-7%3',
      '#SBATCH --partition=gpu',
      '#SBATCH --time=01:30:00',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --output=/shared/results/exp/slurm/%A_%a.out',
    ]) {
      expect(s).toContain(line);
    }
    expect(s).toContain(
      `exec '/usr/bin/node' '/opt/schedlab/dist/experiments/cli/main.js' run '/shared/it'\\''s/exp.yaml' --shard "\${SLURM_ARRAY_TASK_ID}/8" --results '/shared/results/exp' --workers "\${SLURM_CPUS_PER_TASK:-1}" --no-progress`,
    );
    const plain = arrayScript({ ...options, arrayParallelism: undefined, partition: undefined, time: undefined });
    expect(plain).toContain('#SBATCH --array=0-7\n');
    expect(plain).not.toContain('--partition');
    expect(plain).not.toContain('--time');
  });

  it('a report job writing tables and figures once the array is done', () => {
    const s = finishScript(options);
    expect(s).toContain('#SBATCH --cpus-per-task=1');
    expect(s).toContain("'/usr/bin/node' '/opt/schedlab/dist/experiments/cli/main.js' table '/shared/results/exp' --no-print");
    expect(s).toContain("'/usr/bin/node' '/opt/schedlab/dist/experiments/cli/main.js' plot '/shared/results/exp'");
  });
});
