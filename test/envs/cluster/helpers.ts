import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterSchedulingEnv, type ClusterStateView } from '../../../envs/index.js';

/** Writes a CSV job list to a fresh temporary file and returns its path. */
export function csvFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'schedlab-cluster-'));
  const path = join(dir, 'jobs.csv');
  writeFileSync(path, text);
  return path;
}

/** A compact-observation env driven by the given job list (defaults otherwise; step-0 jobs enter at reset: firstEntry 'play'). */
export function envWithJobs(lines: string[], options: Record<string, unknown> = {}): ClusterSchedulingEnv {
  return new ClusterSchedulingEnv({
    observation: 'compact',
    firstEntry: 'play',
    workload: { type: 'csv', path: csvFile(lines.join('\n') + '\n') },
    ...options,
  });
}

export function view(info: Record<string, unknown>): ClusterStateView {
  return info.cluster as ClusterStateView;
}

/** Free units of resource r over the horizon, read from the compact observation. */
export function freeUnits(obs: Float32Array, r: number, T = 20): number[] {
  return Array.from(obs.subarray(T + r * T, T + (r + 1) * T));
}
