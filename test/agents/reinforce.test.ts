import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { makeAgent } from '../../agents/index.js';
import { discount, REINFORCE, timeDependentBaseline } from '../../agents/reinforce/index.js';
import { Wrapper, type ResetArgs, type ResetResult } from '../../envs/core/env.js';
import { Box } from '../../envs/core/spaces/box.js';
import { make } from '../../envs/index.js';
import { MaskedEnv } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

/** Records the seed of every seeded reset. */
class SeedLog<O, A> extends Wrapper<O, A> {
  readonly seeds: number[] = [];
  override reset(args: ResetArgs = {}): ResetResult<O> {
    if (args.seed !== undefined) this.seeds.push(args.seed);
    return super.reset(args);
  }
}

const cartPole = () => make('CartPole-v1');
const quick = { rolloutsPerSequence: 4, sequencesPerBatch: 2, numSequences: 6, learningRate: 0.01, gamma: 0.99 };

describe('REINFORCE', () => {
  test("discounted returns and DeepRM's time-dependent baseline (mean across rollouts, ended rollouts counting 0)", () => {
    expect(Array.from(discount([1, 1, 1], 0.5))).toEqual([1.75, 1.5, 1]);
    const b = timeDependentBaseline([Float64Array.of(3, 2, 1), Float64Array.of(5)]);
    expect(Array.from(b)).toEqual([4, 1, 0.5]);
  });

  test('CartPole-v1: returns rise from about 22 to over 100 within 25k steps', async () => {
    const env = cartPole();
    const agent = new REINFORCE(
      env.observationSpace,
      env.actionSpace,
      { rolloutsPerSequence: 10, sequencesPerBatch: 1, numSequences: 16, learningRate: 0.01, gamma: 0.99, hiddenLayers: [32] },
      { seed: 0 },
    );
    await agent.learn(env, { totalSteps: 25_000 });
    const rows = agent.logger.rows;
    expect(rows[0].episodic_return).toBeLessThan(50);
    expect(rows.at(-1)!['rollout/ep_rew_mean']).toBeGreaterThan(100);
    agent.dispose();
  });

  test('every sequence is played rolloutsPerSequence times from the same seed; a pass visits the numSequences training seeds once each', async () => {
    const env = new SeedLog(cartPole());
    const agent = new REINFORCE(env.observationSpace, env.actionSpace, quick, { seed: 2 });
    await agent.learn(env, { totalSteps: 1 });
    // One iteration: 2 sequences × 4 rollouts.
    expect(env.seeds.length).toBe(8);
    expect(new Set(env.seeds.slice(0, 4)).size).toBe(1);
    expect(new Set(env.seeds.slice(4, 8)).size).toBe(1);
    await agent.learn(env, { totalSteps: 1 });
    await agent.learn(env, { totalSteps: 1 });
    const perSequence = env.seeds.filter((_, i) => i % 4 === 0);
    expect([...perSequence].sort()).toEqual([...agent.sequenceSeeds].sort());
    agent.dispose();
  });

  test('a masked env: masked actions are never taken (the env would throw), and the paying valid action is learned', async () => {
    const env = new MaskedEnv();
    const agent = new REINFORCE(
      env.observationSpace,
      env.actionSpace,
      { ...quick, learningRate: 0.05, optimizer: 'adam', optimizerEps: 1e-8 },
      { seed: 1 },
    );
    await agent.learn(env, { totalSteps: 3000 });
    const picks = Array.from({ length: 200 }, () => agent.act(Float32Array.of(0.3, 0.5), { mask: Uint8Array.of(0, 0, 1, 1) }));
    expect(picks.every((a) => a === 2 || a === 3)).toBe(true);
    expect(picks.filter((a) => a === 3).length).toBeGreaterThan(180);
    agent.dispose();
  });

  test('bad input: a Box action space, unknown or malformed options', () => {
    const env = cartPole();
    expect(() => new REINFORCE(env.observationSpace, new Box(-1, 1, [2], 'float32'), {})).toThrow(
      /reinforce needs a Discrete or MultiDiscrete action space/,
    );
    expect(() => makeAgent('reinforce', env, { numSequences: 0 })).toThrow(/numSequences.*null or a positive integer/);
  });
});
