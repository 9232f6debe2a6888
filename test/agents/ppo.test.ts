import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { CheckpointCallback, EvalCallback, StopOnRewardThreshold } from '../../agents/core/callbacks.js';
import { readCheckpointMeta } from '../../agents/core/checkpoint.js';
import { evaluate } from '../../agents/core/evaluation.js';
import { NonFiniteLossError } from '../../agents/core/training-errors.js';
import { makeAgent } from '../../agents/index.js';
import { PPO } from '../../agents/ppo/ppo.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { make } from '../../envs/index.js';
import { BinaryActionEnv, ContinuousEnv, EndlessEnv, MaskedEnv, MultiEnv, NanEnv, QueueEnv, vecOf } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

const cartPole = () => make('CartPole-v1');
const cartPoleVec = (n = 4) => makeVec('CartPole-v1', n, { autoresetMode: 'same-step' });
const tmp = () => mkdtempSync(join(tmpdir(), 'schedlab-ppo-'));
/** Logged rows without the wall-clock figures (SPS, time/*). */
const curve = (agent: PPO) =>
  agent.logger.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'SPS' && !k.startsWith('time/'))));
const small = { numSteps: 64 };

describe('PPO learns', () => {
  test('CartPole-v1: a deterministic evaluation reaches 475 after 50k steps (rl-zoo hyperparameters)', async () => {
    const env = cartPole();
    const zoo = {
      numEnvs: 8,
      numSteps: 32,
      numMinibatches: 1,
      updateEpochs: 20,
      gaeLambda: 0.8,
      gamma: 0.98,
      entCoef: 0,
      learningRate: 1e-3,
      clipVloss: false,
    };
    const agent = new PPO(env.observationSpace, env.actionSpace, zoo, { seed: 1 });
    await agent.learn(cartPoleVec(8), { totalSteps: 50_000 });
    const result = evaluate(env, agent, { episodes: 10, seed: 100, deterministic: true });
    expect(result.metrics.return.mean).toBeGreaterThanOrEqual(475);
    agent.dispose();
  }, 120_000);

  test('a masked Discrete env: masked actions are never taken, and the paying valid action is learned', async () => {
    const env = new MaskedEnv();
    const agent = makeAgent('ppo', env, { numSteps: 32, learningRate: 3e-3 }, { seed: 2 }) as PPO;
    await agent.learn(
      vecOf(() => new MaskedEnv(), 4),
      { totalSteps: 4 * 32 * 15 },
    ); // MaskedEnv throws on a masked action
    const r = evaluate(env, agent, { episodes: 3, seed: 0 });
    expect(r.metrics.return.mean).toBe(8);
    agent.dispose();
  });

  test('MultiDiscrete actions', async () => {
    const env = new MultiEnv();
    const agent = makeAgent('ppo', env, { numSteps: 32, learningRate: 3e-3 }, { seed: 3 }) as PPO;
    await agent.learn(
      vecOf(() => new MultiEnv(), 4),
      { totalSteps: 4 * 32 * 15 },
    );
    const r = evaluate(env, agent, { episodes: 3, seed: 0 });
    expect(r.metrics.return.mean).toBe(16);
    agent.dispose();
  });

  test('Box actions through the Gaussian policy', async () => {
    const env = new ContinuousEnv();
    // γ = 0: each step's reward depends on its own action only.
    const agent = makeAgent('ppo', env, { numSteps: 32, learningRate: 3e-3, gamma: 0 }, { seed: 4 }) as PPO;
    const before = evaluate(env, agent, { episodes: 3, seed: 0 }).metrics.return.mean;
    await agent.learn(
      vecOf(() => new ContinuousEnv(), 4),
      { totalSteps: 4 * 32 * 30 },
    );
    const after = evaluate(env, agent, { episodes: 3, seed: 0 }).metrics.return.mean;
    // The initial mean action is ≈ 0 (return −2 over 8 steps); within 0.35 of the best action gives > −1.
    expect(before).toBeLessThan(-1.9);
    expect(after).toBeGreaterThan(-1);
    agent.dispose();
  });
});

test('bootstrapping on truncation: an endless task cut by a time limit is valued as endless (1 / (1 − γ) = 10)', async () => {
  const env = new EndlessEnv();
  const agent = makeAgent('ppo', env, { numSteps: 32, learningRate: 1e-2, gamma: 0.9, annealLr: false }, { seed: 5 }) as PPO;
  await agent.learn(
    vecOf(() => new EndlessEnv(), 4, 5),
    { totalSteps: 4 * 32 * 40 },
  );
  // Without the bootstrap the targets would average the truncated returns (≈ 3.4 over a 5-step episode).
  expect(agent.net.valueCpu(Float32Array.of(0.5, -0.5), 1)[0]).toBeGreaterThan(9);
  agent.dispose();
});

describe('PPO normalisation statistics and callbacks', () => {
  test('resuming also restores the observation-normalisation statistics', async () => {
    const dir = tmp();
    const env = cartPole();
    const opts = { ...small, normalizeObservation: true };
    const a = new PPO(env.observationSpace, env.actionSpace, opts, { seed: 11 });
    await a.learn(cartPoleVec(), { totalSteps: 4 * 64 });
    await a.save(dir);
    await a.learn(cartPoleVec(), { totalSteps: 4 * 64 });
    const b = new PPO(env.observationSpace, env.actionSpace, opts, { seed: 0 });
    await b.load(dir);
    await b.learn(cartPoleVec(), { totalSteps: 4 * 64 });
    expect(curve(b)).toEqual(curve(a).slice(1));
    const obs = Float32Array.of(0.3, -0.2, 0.05, 0.4);
    expect(b.act(obs, { deterministic: true })).toBe(a.act(obs, { deterministic: true }));
    a.dispose();
    b.dispose();
  });

  test("normalizeObservation with body 'items': one scale per item feature, from the valid items only, tiled to every slot", async () => {
    const dir = tmp();
    const env = new QueueEnv();
    const agent = makeAgent(
      'ppo',
      env,
      { numSteps: 64, body: 'items', piLayers: [4], vfLayers: [4], normalizeObservation: true, learningRate: 1e-2 },
      { seed: 14 },
    ) as PPO;
    await agent.learn(
      vecOf(() => new QueueEnv(), 4),
      { totalSteps: 4 * 64 * 8 },
    ); // QueueEnv throws on a masked action
    await agent.save(dir);
    const stats = ((await readCheckpointMeta(dir)).normalization as { observation: { mean: number[]; var: number[] } }).observation;
    // Jobs' features are N(5, 1) and N(−3, 2); the [100, 100] padding of the masked slots is left out.
    expect(stats.mean[0]).toBeCloseTo(5, 0);
    expect(stats.mean[1]).toBeCloseTo(-3, 0);
    expect(Math.sqrt(stats.var[0])).toBeCloseTo(1, 0);
    expect(Math.sqrt(stats.var[1])).toBeCloseTo(2, 0);
    for (let slot = 1; slot < 4; slot++) {
      expect(stats.mean.slice(2 * slot, 2 * slot + 2)).toEqual(stats.mean.slice(0, 2));
      expect(stats.var.slice(2 * slot, 2 * slot + 2)).toEqual(stats.var.slice(0, 2));
    }
    expect(evaluate(env, agent, { episodes: 2, seed: 0, deterministic: true }).metrics.return.mean).toBe(8);
    agent.dispose();
  });

  test('normalizeReward: the same rollouts and unscaled returns, a rescaled value target, and resuming restores its statistics', async () => {
    const env = cartPole();
    const plain = new PPO(env.observationSpace, env.actionSpace, small, { seed: 12 });
    await plain.learn(cartPoleVec(), { totalSteps: 4 * 64 });
    const opts = { ...small, normalizeReward: true };
    const a = new PPO(env.observationSpace, env.actionSpace, opts, { seed: 12 });
    await a.learn(cartPoleVec(), { totalSteps: 4 * 64 });
    // Before the first update both act alike: the logged returns are the env's, the value losses are not.
    expect(curve(a)[0].episodic_return).toBe(curve(plain)[0].episodic_return);
    expect(curve(a)[0].value_loss).not.toBeCloseTo(curve(plain)[0].value_loss, 3);
    const dir = tmp();
    await a.save(dir);
    await a.learn(cartPoleVec(), { totalSteps: 4 * 64 * 2 });
    const b = new PPO(env.observationSpace, env.actionSpace, opts, { seed: 0 });
    await b.load(dir);
    await b.learn(cartPoleVec(), { totalSteps: 4 * 64 * 2 });
    expect(curve(b)).toEqual(curve(a).slice(1));
    [plain, a, b].forEach((x) => x.dispose());
  });

  test('callbacks: an evaluation feeds an early stop on a reward threshold', async () => {
    const env = cartPole();
    const agent = new PPO(env.observationSpace, env.actionSpace, small, { seed: 12 });
    const evaluation = new EvalCallback(cartPole(), { everySteps: 512, episodes: 2, seed: 5 });
    const stop = new StopOnRewardThreshold(1, 'eval/mean_reward');
    const result = await agent.learn(cartPoleVec(), { totalSteps: 4 * 64 * 10, callbacks: [evaluation, stop] });
    expect(result).toMatchObject({ steps: 512, stoppedEarly: true });
    expect(evaluation.results.map((r) => r.steps)).toEqual([512]);
    expect(stop.reachedAt).toBe(512);
    agent.dispose();
  });
});

describe('PPO bad input', () => {
  test('an action space it does not support', () => {
    expect(() => makeAgent('ppo', new BinaryActionEnv())).toThrow(
      /agent 'ppo' does not support .*MultiBinary\(3\) is not Discrete, MultiDiscrete or Box/,
    );
  });

  test('unknown or malformed options name the option and what is accepted', () => {
    const env = cartPole();
    expect(() => makeAgent('ppo', env, { clipCoef: -1 })).toThrow(/option 'clipCoef' is -1, out of range; accepted: a number > 0/);
    expect(() => makeAgent('ppo', env, { numMinibatches: 3 })).toThrow(/'numMinibatches' \(3\) must divide numEnvs × numSteps \(512\)/);
    expect(() => makeAgent('ppo', new MaskedEnv(), { body: 'items' })).toThrow(
      /body 'items' needs the observation \(2 numbers\) to be 4 items \(one per action\) × itemSize features/,
    );
  });

  test('learn() on a single env with numEnvs 4, or on a next-step vector env, is refused', async () => {
    const env = cartPole();
    const agent = new PPO(env.observationSpace, env.actionSpace, {}, { seed: 0 });
    await expect(agent.learn(env, { totalSteps: 1024 })).rejects.toThrow(/got a single env but option numEnvs is 4; pass a vector env/);
    await expect(agent.learn(makeVec('CartPole-v1', 4), { totalSteps: 1024 })).rejects.toThrow(
      /autoreset mode 'next-step'; training needs 'same-step'/,
    );
    await expect(agent.learn(cartPoleVec(), { totalSteps: 100 })).rejects.toThrow(
      /totalSteps \(100\) must be an integer >= numEnvs × numSteps \(512\)/,
    );
    agent.dispose();
  });

  test('a checkpoint from another env or architecture is refused with the field named', async () => {
    const dir = tmp();
    const env = cartPole();
    const agent = new PPO(env.observationSpace, env.actionSpace, {}, { seed: 0, envId: 'CartPole-v1' });
    await agent.save(dir);
    const other = makeAgent('ppo', new MaskedEnv(), {}, { seed: 0 });
    await expect(other.load(dir)).rejects.toThrow(/checkpoint\.json \(field observationSpace\): the checkpoint's observation space/);
    const narrow = new PPO(env.observationSpace, env.actionSpace, { piLayers: [32] }, { seed: 0 });
    await expect(narrow.load(dir)).rejects.toThrow(
      /\(field architecture\): the checkpoint's network differs from the agent's at \S+: .* in the checkpoint, .* here; pass the same --agent-options/,
    );
    const otherId = new PPO(env.observationSpace, env.actionSpace, {}, { seed: 0, envId: 'CartPole-v2' });
    await expect(otherId.load(dir)).rejects.toThrow(/\(field envId\): the checkpoint was trained on CartPole-v1, not CartPole-v2/);
    [agent, other, narrow, otherId].forEach((a) => a.dispose?.());
  });

  test('NaN losses stop training with a clear message, before the update; the last good checkpoint stays loadable', async () => {
    const dir = tmp();
    const env = new NanEnv(Infinity);
    const agent = makeAgent('ppo', env, { numSteps: 16 }, { seed: 0 }) as PPO;
    const checkpoints = new CheckpointCallback(dir, 64);
    // Each sub-env turns NaN after 100 of its steps: iterations 1–6 are finite, the 7th is not.
    const err = await agent
      .learn(
        vecOf(() => new NanEnv(100), 4),
        { totalSteps: 4 * 16 * 10, callbacks: [checkpoints] },
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(err.message).toMatch(/ppo: training diverged at step 448: loss=NaN.*The update was not applied/);
    expect(checkpoints.lastSaved).toBe(384);
    expect(agent.net.store.values.every(Number.isFinite)).toBe(true);
    const restored = makeAgent('ppo', env, { numSteps: 16 }, { seed: 0 }) as PPO;
    await restored.load(dir);
    expect(restored.globalStep).toBe(384);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    agent.dispose();
    restored.dispose();
  });
});
