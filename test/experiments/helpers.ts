/** Shared helpers of the experiment-runner tests: temporary experiment files and result listings. */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';

export function tempDir(prefix = 'schedlab-exp-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes an experiment file with CartPole-v1 defaults, overridden by `doc`. */
export function writeExperiment(dir: string, doc: Record<string, unknown>, file = 'exp.yaml'): string {
  const full = {
    name: 'runner-test',
    seeds: [0, 1],
    evaluation: { episodes: 2, seedOffset: 1000 },
    tasks: [{ label: 'cartpole', env: { id: 'CartPole-v1', options: {} }, agents: ['random'] }],
    tables: [
      {
        name: 'main',
        metrics: [
          { metric: 'return', better: 'higher' },
          { metric: 'length', label: 'Length', better: 'lower' },
        ],
      },
    ],
    ...doc,
  };
  const path = join(dir, file);
  writeFileSync(path, yaml.dump(full));
  return path;
}

/** The entries of `runs/`, hidden ones included. */
export function runEntries(resultsDir: string): string[] {
  const runs = join(resultsDir, 'runs');
  return existsSync(runs) ? readdirSync(runs).sort() : [];
}
