/**
 * The manifest of a results directory: what produced the results (package versions, Node, TensorFlow.js
 * backend and device, git commit, the experiment file's hash) and which seeds they cover. It identifies
 * the experiment a results directory belongs to, so a different experiment cannot write into it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedExperiment } from '../spec/types.js';

export interface Manifest {
  /** `file`: the experiment file relative to the project root (never an absolute path, so a manifest is the same on every machine). */
  experiment: { name: string; file: string; hash: string };
  seeds: { training: number[]; evaluationSeedOffset: number; evaluation: number[] };
  runs: number;
  schedlab: string;
  node: string;
  platform: string;
  packages: Record<string, string>;
  backend: string;
  device: string;
  cpu: string;
  git: { commit: string; dirty: boolean } | null;
}

/** The package root: the nearest folder above this file with a package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('schedlab: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export async function buildManifest(experiment: LoadedExperiment, runCount: number): Promise<Manifest> {
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const packages: Record<string, string> = {};
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).sort()) {
    const file = join(root, 'node_modules', name, 'package.json');
    packages[name] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'not installed';
  }
  // Loaded lazily: only the manifest and learned agents need TensorFlow.js in this process.
  const { initBackend } = await import('../../agents/core/backend.js');
  const backend = await initBackend('auto', null);
  const { spec } = experiment;
  return {
    experiment: { name: spec.name, file: projectRelative(experiment.file, root), hash: experiment.hash },
    seeds: {
      training: spec.seeds,
      evaluationSeedOffset: spec.evaluation.seedOffset,
      evaluation: spec.seeds.map((s) => s + spec.evaluation.seedOffset),
    },
    runs: runCount,
    schedlab: pkg.version,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages,
    backend: backend.backend,
    device: backend.device,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    git: gitState(root),
  };
}

/** `file` relative to the project root, with '/' separators (a file outside the project gets a `../` path, still relative). */
export function projectRelative(file: string, root = packageRoot()): string {
  return relative(root, file).split(sep).join('/') || '.';
}

function gitState(root: string): Manifest['git'] {
  try {
    const run = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: run(['rev-parse', 'HEAD']), dirty: run(['status', '--porcelain', '--untracked-files=no']) !== '' };
  } catch {
    return null;
  }
}
