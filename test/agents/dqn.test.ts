import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { evaluate } from '../../agents/core/evaluation.js';
import { NonFiniteLossError } from '../../agents/core/training-errors.js';
import { DQN } from '../../agents/dqn/dqn.js';
import { makeAgent } from '../../agents/index.js';
import { Rng } from '../../core/rng.js';
import type { Env } from '../../envs/core/env.js';
import { Box } from '../../envs/core/spaces/box.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { SyncVectorEnv } from '../../envs/core/vector/sync.js';
import { TimeLimit } from '../../envs/core/wrappers/time-limit.js';
import { make } from '../../envs/index.js';
import { MaskedEnv, NanEnv } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

const cartPole = make('CartPole-v1');
const cartPoleVec = (n = 1) => makeVec('CartPole-v1', n, { autoresetMode: 'same-step' });
const single = (env: Env<any, any>) => new SyncVectorEnv([() => env as Env<unknown, unknown>], { autoresetMode: 'same-step' });
const tmp = () => mkdtempSync(join(tmpdir(), 'schedlab-dqn-'));
/** A small, quick configuration for the reproducibility tests. */
const quick = { learningStarts: 200, batchSize: 16, trainFreq: 4, targetUpdateInterval: 100, logInterval: 250, netArch: [32, 32] };

describe('DQN learns', () => {
  test('CartPole-v1: a deterministic evaluation clearly beats random (about 22) after 10k steps (tuned hyperparameters)', async () => {
    const tuned = {
      learningRate: 2.3e-3,
      batchSize: 64,
      learningStarts: 500,
      targetUpdateInterval: 100,
      trainFreq: 4,
      explorationFraction: 0.2,
    };
    const agent = new DQN(cartPole.observationSpace, cartPole.actionSpace, tuned, { seed: 0 });
    await agent.learn(cartPoleVec(), { totalSteps: 10_000 });
    expect(agent.explorationRate).toBeCloseTo(0.05, 10);
    expect(evaluate(cartPole, agent, { episodes: 5, seed: 100 }).metrics.return.mean).toBeGreaterThan(100);
    agent.dispose();
  });

  test('a masked env: masked actions are never chosen (exploring, greedy, or as targets), and the better valid action is learned', async () => {
    const env = new MaskedEnv(0.5);
    const agent = new DQN(
      env.observationSpace,
      env.actionSpace,
      { ...quick, learningRate: 3e-3, gamma: 0.5, explorationFraction: 0.5, doubleQ: true },
      { seed: 1 },
    );
    await agent.learn(single(new MaskedEnv(0.5)), { totalSteps: 3000 });
    const mask = Uint8Array.of(0, 0, 1, 1);
    agent.explorationRate = 1;
    const explored = Array.from({ length: 300 }, () => agent.act(Float32Array.of(0.3, 0.5), { mask }));
    expect(explored.every((a) => a === 2 || a === 3)).toBe(true);
    expect(new Set(explored).size).toBe(2);
    expect(agent.act(Float32Array.of(0.3, 0.5), { mask, deterministic: true })).toBe(3);
    // With action 3 masked the greedy pick is the best valid one, never a masked one.
    expect(agent.act(Float32Array.of(0.3, 0.5), { mask: Uint8Array.of(0, 0, 1, 0), deterministic: true })).toBe(2);
    // Targets bootstrap from valid next actions only: Q(s, 3) ≈ 1 + γ·1 + … stays near 1/(1 − γ) = 2, not inflated by masked ones.
    const q = agent.net.qCpu(Float32Array.of(0.3, 0.5), 1);
    expect(q[3]).toBeGreaterThan(q[2]);
    expect(q[3]).toBeLessThan(2.3);
    agent.dispose();
  });
});

describe('DQN networks, double Q and the replay buffer in checkpoints', () => {
  test("init 'torch' draws every weight and bias from U(±1/√fan_in) (SB3's default), 'orthogonal' does not", () => {
    const layer = (agent: DQN, name: string) => {
      const spec = agent.net.store.specs.find((x) => x.name === name)!;
      return Array.from(agent.net.store.values.subarray(spec.offset, spec.offset + spec.size));
    };
    const torch = new DQN(cartPole.observationSpace, cartPole.actionSpace, { netArch: [16] }, { seed: 0 });
    const maxAbs = (xs: number[]) => Math.max(...xs.map(Math.abs));
    for (const [name, fanIn] of [
      ['q.0.weight', 4],
      ['q.0.bias', 4],
      ['q.out.weight', 16],
      ['q.out.bias', 16],
    ] as const) {
      expect(maxAbs(layer(torch, name))).toBeLessThanOrEqual(1 / Math.sqrt(fanIn));
      if (name.endsWith('weight')) expect(maxAbs(layer(torch, name))).toBeGreaterThan(0.8 / Math.sqrt(fanIn));
    }
    const ortho = new DQN(cartPole.observationSpace, cartPole.actionSpace, { netArch: [16], init: 'orthogonal' }, { seed: 0 });
    expect(maxAbs(layer(ortho, 'q.0.bias'))).toBe(0);
    expect(Array.from(ortho.net.target.dataSync())).toEqual(Array.from(ortho.net.store.values));
    expect(Array.from(torch.net.target.dataSync())).toEqual(Array.from(torch.net.store.values));
    [torch, ortho].forEach((x) => x.dispose());
  });

  test("double DQN takes a' from the online network: with a target that disagrees, the updates differ from DQN's", async () => {
    const trained = async (doubleQ: boolean) => {
      const agent = new DQN(
        cartPole.observationSpace,
        cartPole.actionSpace,
        { ...quick, learningStarts: 0, targetUpdateInterval: 100_000, doubleQ },
        { seed: 6 },
      );
      const rng = new Rng(1);
      const scrambled = Float32Array.from({ length: agent.net.store.size }, () => rng.normal(0, 0.5));
      tf.tidy(() => agent.net.target.assign(tf.tensor1d(scrambled)));
      await agent.learn(cartPoleVec(), { totalSteps: 200 });
      return agent;
    };
    const [plain, double] = [await trained(false), await trained(true)];
    expect(Array.from(plain.net.store.values)).not.toEqual(Array.from(double.net.store.values));
    [plain, double].forEach((x) => x.dispose());
  });

  test('saveReplayBuffer: false leaves the buffer out of the checkpoint; the loaded agent refills it', async () => {
    const a = new DQN(cartPole.observationSpace, cartPole.actionSpace, { ...quick, saveReplayBuffer: false }, { seed: 5 });
    await a.learn(cartPoleVec(), { totalSteps: 300 });
    const dir = tmp();
    await a.save(dir);
    const names = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).weightsManifest[0].weights.map(
      (w: { name: string }) => w.name,
    );
    expect(names).toEqual(['params', 'target', 'adam/m', 'adam/v']);
    const b = new DQN(cartPole.observationSpace, cartPole.actionSpace, { ...quick, saveReplayBuffer: false }, { seed: 5 });
    await b.load(dir);
    expect(b.globalStep).toBe(300);
    await b.learn(cartPoleVec(), { totalSteps: 300 });
    expect(b.globalStep).toBe(600);
    [a, b].forEach((x) => x.dispose());
  });
});

describe('DQN bad input', () => {
  test('a Box (or any non-Discrete) action space is refused with the reason, by the registry and the constructor', () => {
    const box = new TimeLimit(make('CartPole-v1'), 10);
    Object.defineProperty(box, 'actionSpace', { value: new Box(-1, 1, [1], 'float32') });
    expect(() => makeAgent('dqn', box, {}, { seed: 0 })).toThrow(/agent 'dqn' does not support.*dqn needs a Discrete action space.*Box/);
    expect(() => new DQN(cartPole.observationSpace, new Box(-1, 1, [1], 'float32'), {})).toThrow(/Discrete action space/);
  });

  test('unknown or malformed options name the option and what is accepted', () => {
    expect(() => makeAgent('dqn', cartPole, { gradientSteps: 0 })).toThrow(/gradientSteps.*a positive integer or -1/);
    expect(() => makeAgent('dqn', cartPole, { explorationFinalEps: 2 })).toThrow(/explorationFinalEps/);
    expect(() => makeAgent('dqn', cartPole, { netArch: [64, 0] })).toThrow(/netArch/);
  });

  test('a checkpoint of another architecture is refused; a wrong mask length is refused', async () => {
    const dir = tmp();
    const a = new DQN(cartPole.observationSpace, cartPole.actionSpace, {}, { seed: 0 });
    await a.save(dir);
    const other = new DQN(cartPole.observationSpace, cartPole.actionSpace, { netArch: [32] }, { seed: 0 });
    await expect(other.load(dir)).rejects.toThrow(/architecture/);
    expect(() => a.act(Float32Array.of(0, 0, 0, 0), { mask: Uint8Array.of(1, 1, 1) })).toThrow(/mask has 3 entries.*needs 2/);
    [a, other].forEach((x) => x.dispose());
  });

  test('NaN losses stop training with a clear message before the update is applied', async () => {
    const env = new NanEnv(300);
    const agent = new DQN(env.observationSpace, env.actionSpace, quick, { seed: 0 });
    const err = await agent.learn(single(env), { totalSteps: 2000 }).catch((e) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(String(err.message)).toMatch(/dqn: training diverged at step \d+: td_loss=NaN/);
    expect(Array.from(agent.net.store.variable.dataSync()).every(Number.isFinite)).toBe(true);
    agent.dispose();
  });
});
