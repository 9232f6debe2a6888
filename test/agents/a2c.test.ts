import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { A2C } from '../../agents/a2c/a2c.js';
import { initBackend } from '../../agents/core/backend.js';
import { CheckpointCallback, StopOnRewardThreshold } from '../../agents/core/callbacks.js';
import { evaluate } from '../../agents/core/evaluation.js';
import { makeAgent } from '../../agents/index.js';
import { MultiBinary } from '../../envs/core/spaces/multi-binary.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { TimeLimit } from '../../envs/core/wrappers/time-limit.js';
import { make } from '../../envs/index.js';
import { EndlessEnv, MaskedEnv, vecOf } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

const cartPoleVec = (n: number) => makeVec('CartPole-v1', n, { autoresetMode: 'same-step' });
const tmp = () => mkdtempSync(join(tmpdir(), 'schedlab-a2c-'));
const cartPole = make('CartPole-v1');

describe('A2C learns', () => {
  test('CartPole-v1 with 8 envs (rl-zoo): the last 100 training episodes average over 150 after 40k steps', async () => {
    const agent = new A2C(cartPole.observationSpace, cartPole.actionSpace, { numEnvs: 8, logInterval: 50 }, { seed: 0 });
    await agent.learn(cartPoleVec(8), { totalSteps: 40_000 });
    const last = agent.logger.rows.at(-1)!;
    // A random policy averages about 22.
    expect(last['rollout/ep_rew_mean']).toBeGreaterThan(150);
    expect(agent.logger.rows[0].episodic_return).toBeLessThan(60);
    expect(evaluate(cartPole, agent, { episodes: 5, seed: 100 }).metrics.return.mean).toBeGreaterThan(100);
    agent.dispose();
  });

  test('a masked env: masked actions are never taken (the env would throw), and the paying valid action is learned', async () => {
    const env = new MaskedEnv();
    const agent = new A2C(env.observationSpace, env.actionSpace, { numEnvs: 4, learningRate: 0.01, entCoef: 0.01 }, { seed: 1 });
    await agent.learn(
      vecOf(() => new MaskedEnv(), 4),
      { totalSteps: 4000 },
    );
    const picks = Array.from({ length: 200 }, () => agent.act(Float32Array.of(0.3, 0.5), { mask: Uint8Array.of(0, 0, 1, 1) }));
    expect(picks.every((a) => a === 2 || a === 3)).toBe(true);
    expect(picks.filter((a) => a === 3).length).toBeGreaterThan(180);
    expect(agent.act(Float32Array.of(0.3, 0.5), { mask: Uint8Array.of(1, 1, 1, 0), deterministic: true })).not.toBe(3);
    agent.dispose();
  });

  test('truncated episodes bootstrap from V(final observation): the critic learns γ/(1 − γ) + 1, not the cut-off return', async () => {
    const env = new EndlessEnv();
    // γ = 0.5: with bootstrapping V → 1/(1 − γ) = 2 everywhere; without it, a 3-step cut-off would pull V well below 2.
    const agent = new A2C(env.observationSpace, env.actionSpace, { numEnvs: 2, numSteps: 3, gamma: 0.5, learningRate: 0.01 }, { seed: 0 });
    await agent.learn(
      vecOf(() => new EndlessEnv(), 2, 3),
      { totalSteps: 6000 },
    );
    expect(agent.net.valueCpu(Float32Array.of(0.5, -0.5), 1)[0]).toBeCloseTo(2, 1);
    agent.dispose();
  });
});

describe('A2C callbacks', () => {
  test('StopOnRewardThreshold ends training early; CheckpointCallback saves a loadable checkpoint at the end', async () => {
    const agent = new A2C(cartPole.observationSpace, cartPole.actionSpace, { numEnvs: 4, logInterval: 5 }, { seed: 0 });
    const stop = new StopOnRewardThreshold(30);
    const dir = tmp();
    const saver = new CheckpointCallback(dir, 1_000_000);
    const r = await agent.learn(cartPoleVec(4), { totalSteps: 200_000, callbacks: [stop, saver] });
    expect(r.stoppedEarly).toBe(true);
    expect(r.steps).toBeLessThan(200_000);
    expect(stop.reachedAt).toBe(r.steps);
    expect(saver.lastSaved).toBe(r.steps);
    const copy = new A2C(cartPole.observationSpace, cartPole.actionSpace, { numEnvs: 4, logInterval: 5 }, { seed: 0 });
    await copy.load(dir);
    expect(copy.globalStep).toBe(r.steps);
    [agent, copy].forEach((x) => x.dispose());
  });
});

describe('A2C bad input', () => {
  test('an action space it does not support names the reason', () => {
    const env = new TimeLimit(cartPole, 10);
    expect(() => new A2C(env.observationSpace, new MultiBinary(3), {}, { seed: 0 })).toThrow(
      /a2c: action space MultiBinary.*not Discrete, MultiDiscrete or Box/,
    );
  });

  test('unknown or malformed options name the option and what is accepted', () => {
    expect(() => makeAgent('a2c', cartPole, { optimizer: 'sgd' })).toThrow(/optimizer.*'rmsprop' \| 'adam'/);
    expect(() => makeAgent('a2c', cartPole, { numSteps: 0 })).toThrow(/numSteps/);
  });

  test('a checkpoint from another agent or architecture is refused with the field named', async () => {
    const dir = tmp();
    const a = new A2C(cartPole.observationSpace, cartPole.actionSpace, {}, { seed: 0 });
    await a.save(dir);
    const wider = new A2C(cartPole.observationSpace, cartPole.actionSpace, { piLayers: [32] }, { seed: 0 });
    await expect(wider.load(dir)).rejects.toThrow(/architecture/);
    const dqn = makeAgent('dqn', cartPole, {}, { seed: 0 });
    await expect(dqn.load(dir)).rejects.toThrow(/agent 'a2c', not 'dqn'/);
    [a, wider].forEach((x) => x.dispose());
    dqn.dispose?.();
  });
});
