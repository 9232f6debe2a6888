/** Small trained (or freshly initialised) PPO checkpoints for the export tests, and the trained agent's reference outputs. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { A2C } from '../../agents/a2c/a2c.js';
import { MASKED_LOGIT } from '../../agents/core/distributions.js';
import { makeAgent } from '../../agents/index.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { Rng } from '../../core/rng.js';
import { Box } from '../../envs/core/spaces/box.js';
import { Discrete } from '../../envs/core/spaces/discrete.js';
import { flatten } from '../../envs/core/spaces/flatten.js';
import type { Space } from '../../envs/core/spaces/space.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { make } from '../../envs/index.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const tmp = (name: string) => mkdtempSync(join(tmpdir(), `schedlab-export-${name}-`));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The compiled CLI (npm test builds dist/ first) in a child process. */
export function schedlab(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['dist/experiments/cli/main.js', ...args],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

/** CartPole-v1, 2048 steps of PPO with observation normalisation (separate tanh bodies), saved in DIR/checkpoint. */
export async function trainCartPole(): Promise<{ dir: string; agent: PPO }> {
  const env = make('CartPole-v1');
  const agent = new PPO(
    env.observationSpace,
    env.actionSpace,
    { numSteps: 64, normalizeObservation: true },
    { seed: 1, envId: 'CartPole-v1' },
  );
  await agent.learn(makeVec('CartPole-v1', 4, { autoresetMode: 'same-step' }), { totalSteps: 2048 });
  const dir = tmp('cartpole');
  await agent.save(join(dir, 'checkpoint'));
  return { dir, agent };
}

export const CLUSTER_ENV_OPTIONS = { observation: 'compact' };

/** ClusterScheduling-v0 (masked), `schedlab train` of 2048 PPO steps, one shared ReLU body, normalised observations. */
export async function trainCluster(): Promise<string> {
  const dir = tmp('cluster');
  const r = await schedlab([
    'train',
    '--env',
    'ClusterScheduling-v0',
    '--env-options',
    JSON.stringify(CLUSTER_ENV_OPTIONS),
    '--agent',
    'ppo',
    '--agent-options',
    JSON.stringify({ numSteps: 128, body: 'shared', activation: 'relu', normalizeObservation: true }),
    '--steps',
    '2048',
    '--seed',
    '3',
    '--out',
    dir,
    '--quiet',
    '--eval-episodes',
    '3',
    '--backend',
    'wasm',
  ]);
  if (r.status !== 0) throw new Error(`schedlab train failed: ${r.stderr}`);
  return dir;
}

/** A freshly initialised per-item scorer (4 items × 3 features, Discrete(4)), saved without training. */
export async function itemsCheckpoint(): Promise<{ dir: string; agent: PPO }> {
  const agent = new PPO(new Box<Float32Array>(0, 1, [12], 'float32'), new Discrete(4, 1), { body: 'items', piLayers: [8, 8] }, { seed: 5 });
  const dir = tmp('items');
  await agent.save(join(dir, 'checkpoint'));
  return { dir, agent };
}

export interface Sample {
  obs: Float32Array[];
  /** Undefined: no mask. Some masks allow nothing (then nothing is masked). */
  masks: (Uint8Array | undefined)[];
}

/** `count` random observations of the space and random masks (a fifth none, 1 in 50 all-zero). */
export function randomInputs(space: Space, n: number, count: number, seed: number): Sample {
  space.seed(seed);
  const rng = new Rng(seed + 1);
  const obs: Float32Array[] = [];
  const masks: (Uint8Array | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    obs.push(flatten(space, space.sample()));
    const u = rng.random();
    if (u < 0.2) masks.push(undefined);
    else if (u < 0.22) masks.push(new Uint8Array(n));
    else {
      const m = Uint8Array.from({ length: n }, () => (rng.random() < 0.5 ? 1 : 0));
      m[Math.floor(rng.random() * n)] = 1;
      masks.push(m);
    }
  }
  return { obs, masks };
}

/** A trained actor-critic agent (PPO, A2C): the reference reads its network. */
export type PolicyAgent = PPO | A2C;

/** A2C on ClusterScheduling-v0 (masked), 1024 steps in process, saved in DIR/checkpoint. */
export async function trainA2c(): Promise<{ dir: string; agent: A2C }> {
  const env = make('ClusterScheduling-v0', CLUSTER_ENV_OPTIONS);
  const agent = makeAgent('a2c', env, {}, { seed: 4, envId: 'ClusterScheduling-v0' });
  if (!(agent instanceof A2C)) throw new Error(`makeAgent('a2c') built ${agent.name}, not an A2C`);
  await agent.learn(
    makeVec('ClusterScheduling-v0', Number(agent.options.numEnvs ?? 4), { options: CLUSTER_ENV_OPTIONS, autoresetMode: 'same-step' }),
    { totalSteps: 1024 },
  );
  const dir = tmp('a2c');
  await agent.save(join(dir, 'checkpoint'));
  return { dir, agent };
}

/** The trained agent's deterministic action, masked logits (its distribution's rule) and value for one input. */
export function reference(
  agent: PolicyAgent,
  obs: Float32Array,
  mask: Uint8Array | undefined,
): { action: number; logits: Float32Array; value: number } {
  const action = agent.act(obs, { mask, deterministic: true }) as number;
  // The agent's own frozen normalisation (the identity where it has none).
  const x = agent.normalizedObservation(obs);
  const { head, value } = agent.net.forwardCpu(x, 1);
  const anyValid = !mask || mask.some((m) => m !== 0);
  const logits = head.map((h, i) => (!mask || !anyValid || mask[i] ? Math.max(h, MASKED_LOGIT) : MASKED_LOGIT));
  return { action, logits, value: value[0] };
}
