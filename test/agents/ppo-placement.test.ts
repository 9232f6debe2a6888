/**
 * PPO's per-node scorer (body 'items') on GpuClusterPlacement-v0, as experiments/presets/fgd-table-ppo.yaml
 * trains it, on a small cluster: one row per node is one item, the mask keeps it to nodes where the pod
 * fits (the env throws on any other), training is the same for the same seed, no tensor is left behind,
 * and a trained policy plays whole episodes through the shared evaluator with the env's metrics.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../agents/core/evaluation.js';
import { makeAgent } from '../../agents/index.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { make } from '../../envs/index.js';
import { ROW_FEATURES } from '../../envs/placement/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ppo-placement-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const nodes = write(
  'nodes.csv',
  'sn,cpu_milli,memory_mib,gpu,model\nn0,32000,65536,2,T4\nn1,32000,65536,2,T4\nn2,64000,131072,4,V100M32\nn3,16000,32768,0,\n',
);
const pods = write(
  'pods.csv',
  'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\na,4000,1024,1,300,\nb,4000,1024,1,600,\nc,8000,2048,0,0,\nd,4000,1024,1,1000,\ne,4000,1024,2,1000,\nf,2000,512,1,500,T4\n',
);
const envOptions = { nodes, workload: pods, tune: 1.3 };
const options = {
  body: 'items',
  piLayers: [16],
  vfLayers: [8],
  activation: 'tanh',
  numEnvs: 2,
  numSteps: 32,
  numMinibatches: 4,
  updateEpochs: 4,
  learningRate: 0.005,
  gamma: 0.999,
  gaeLambda: 0.98,
  entCoef: 0,
  normalizeReward: true,
};

async function train(seed: number): Promise<{ agent: PPO; rows: Record<string, unknown>[] }> {
  const env = make('GpuClusterPlacement-v0', envOptions);
  const agent = makeAgent('ppo', env, options, { seed }) as PPO;
  const vec = makeVec('GpuClusterPlacement-v0', 2, { autoresetMode: 'same-step', options: envOptions });
  await agent.learn(vec, { totalSteps: 2 * 32 * 3 });
  await vec.close();
  // Everything but the clock readings.
  const rows = agent.logger.rows.map((row) =>
    Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'SPS' && !k.startsWith('time/'))),
  );
  return { agent, rows };
}

describe('PPO with the per-node scorer on GpuClusterPlacement-v0', () => {
  it('one item per node, masked actions only, the same training for the same seed, no tensor left', async () => {
    const env = make('GpuClusterPlacement-v0', envOptions);
    expect(env.observationSpace.shape).toEqual([4, ROW_FEATURES]);
    const before = tf.memory().numTensors;
    const a = await train(3);
    const b = await train(3);
    expect(a.rows.length).toBe(3);
    expect(b.rows).toEqual(a.rows);
    const result = evaluate(env, a.agent, { episodes: 3, seed: 42, deterministic: true });
    expect(result.metrics.gpu_allocation.values.every((v) => v > 0 && v <= 100)).toBe(true);
    // An episode's return is its final GPU allocation ratio (reward 'allocation').
    result.metrics.return.values.forEach((r, i) => expect(r * 100).toBeCloseTo(result.metrics.gpu_allocation.values[i], 9));
    a.agent.dispose();
    b.agent.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
