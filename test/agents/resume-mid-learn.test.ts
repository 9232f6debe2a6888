/**
 * A checkpoint taken in the middle of learn() (CheckpointCallback, `schedlab train` interrupted by Ctrl-C)
 * resumes exactly: loading it and training the remaining steps gives the same weights, optimiser and RNG
 * state, and the same learning curve, as the run that never stopped. learn() used to start fresh episodes,
 * so a resumed PPO, A2C or DQN run diverged from the uninterrupted one; the checkpoint now carries the
 * in-flight episodes' journal (reset seed and actions), which the next learn() replays.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Callback } from '../../agents/core/agent.js';
import { initBackend } from '../../agents/core/backend.js';
import { LearnedAgent } from '../../agents/core/learned-agent.js';
import { makeAgent } from '../../agents/core/registry.js';
import '../../agents/index.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { make } from '../../envs/index.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

const dropTiming = (rows: Record<string, number>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'SPS' && !k.startsWith('time/'))));
const weights = (dir: string) =>
  readFileSync(
    join(
      dir,
      readdirSync(dir).find((f) => f.startsWith('weights-'))!,
    ),
  );

/** Saves the agent once, at the first iteration end at or past `atStep`. */
function saveAt(atStep: number, dir: string): Callback & { savedAt?: number } {
  const cb: Callback & { savedAt?: number } = {
    onRolloutEnd: async (ctx) => {
      if (cb.savedAt === undefined && ctx.steps >= atStep) {
        await ctx.agent.save(dir);
        cb.savedAt = ctx.steps;
      }
    },
  };
  return cb;
}

const cases: {
  name: string;
  env: string;
  envOptions: Record<string, unknown>;
  options: Record<string, unknown>;
  total: number;
  at: number;
}[] = [
  {
    name: 'ppo',
    env: 'CartPole-v1',
    envOptions: {},
    options: { numEnvs: 2, numSteps: 64, normalizeObservation: true, normalizeReward: true },
    total: 1024,
    at: 512,
  },
  {
    name: 'ppo',
    env: 'ClusterScheduling-v0',
    envOptions: { preset: 'deeprm-train', observation: 'compact' },
    options: { numEnvs: 2, numSteps: 64 },
    total: 768,
    at: 384,
  },
  { name: 'a2c', env: 'CartPole-v1', envOptions: {}, options: { numEnvs: 2, logInterval: 10 }, total: 800, at: 400 },
  {
    name: 'dqn',
    env: 'CartPole-v1',
    envOptions: {},
    options: { learningStarts: 100, logInterval: 200, trainFreq: 4 },
    total: 1200,
    at: 600,
  },
];

describe.each(cases)('$name on $env: a checkpoint taken mid-learn resumes exactly', ({ name, env, envOptions, options, total, at }) => {
  it('weights, optimiser, RNG and curve equal the uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'resume-'));
    const vecFor = () =>
      Number(options.numEnvs ?? 1) > 1
        ? makeVec(env, Number(options.numEnvs), { options: envOptions, autoresetMode: 'same-step' })
        : make(env, envOptions);
    const build = () => {
      const agent = makeAgent(name, make(env, envOptions), options, { seed: 5, envId: env });
      if (!(agent instanceof LearnedAgent)) throw new Error(`${name} is not a learned agent`);
      return agent;
    };

    const whole = build();
    const checkpoint = saveAt(at, join(dir, 'mid'));
    await whole.learn(vecFor(), { totalSteps: total, callbacks: [checkpoint] });
    await whole.save(join(dir, 'whole'));
    expect(checkpoint.savedAt).toBe(at);

    const resumed = build();
    await resumed.load(join(dir, 'mid'));
    await resumed.learn(vecFor(), { totalSteps: total - at });
    await resumed.save(join(dir, 'resumed'));

    expect(weights(join(dir, 'resumed')).equals(weights(join(dir, 'whole')))).toBe(true);
    const meta = (d: string) => JSON.parse(readFileSync(join(dir, d, 'checkpoint.json'), 'utf8'));
    expect(meta('resumed').counters).toEqual(meta('whole').counters);
    expect(meta('resumed').rng).toEqual(meta('whole').rng);
    expect(meta('resumed').normalization).toEqual(meta('whole').normalization);
    // The curve after the checkpoint: the rows the resumed run logged are the uninterrupted run's last rows
    // (DQN and A2C log over windows; these checkpoints fall on window boundaries).
    const tail = dropTiming(resumed.logger.rows);
    expect(tail.length).toBeGreaterThan(0);
    expect(tail).toEqual(dropTiming(whole.logger.rows).slice(-tail.length));
    whole.dispose();
    resumed.dispose();
  }, 120_000);
});
