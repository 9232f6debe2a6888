/**
 * The contract every learned agent keeps, checked once over all of them (PPO, A2C, DQN, REINFORCE) through
 * the public API only (the registry's `makeAgent`, `learn`, `save`/`load`, `act`, `dispose`):
 *   - determinism: the same seed gives the same learning curve and a byte-identical checkpoint (weights,
 *     optimiser state, RNG states, counters); another seed gives neither. Every result in results/ rests on it;
 *   - resume: `learn; save; load into a fresh agent of another seed; learn` continues exactly as the run that
 *     never stopped (curve, checkpoint bytes, greedy and sampled actions), which the runner's resume relies on;
 *   - leaks: `tf.memory().numTensors` stays flat over further learning, save and load, and `dispose` releases
 *     every tensor the agent made (a leak per update ends a long run out of memory, on wasm without a message);
 *   - bad input: a misspelt or mistyped option is an OptionError naming the option and what is accepted, a
 *     checkpoint of another algorithm or a missing one is refused with a clear message.
 * Each algorithm's file used to carry its own copy of these tests, and the copies had drifted apart (one
 * compared no weights, one never checked dispose, none compared optimiser or RNG state): one parametrised
 * suite makes a new algorithm meet the whole contract by adding one row. Budgets are a few hundred CartPole
 * steps per `learn` call, so the suite stays a matter of seconds.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { LearnedAgent } from '../../agents/core/learned-agent.js';
import { makeAgent, type Agent } from '../../agents/index.js';
import { OptionError } from '../../core/errors.js';
import type { Env } from '../../envs/core/env.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import type { VectorEnv } from '../../envs/core/vector/types.js';
import { make } from '../../envs/index.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

interface Case {
  name: 'ppo' | 'a2c' | 'dqn' | 'reinforce';
  /** Small options that still run every part of an update (several updates and log rows per call). */
  options: Record<string, unknown>;
  /** The env (or same-step vector env) one `learn` call trains on. */
  trainEnv: () => Env<Float32Array, number> | VectorEnv;
  /** Steps per `learn` call. */
  steps: number;
}

const cartPoleVec = (n: number) => () => makeVec('CartPole-v1', n, { autoresetMode: 'same-step' });

const cases: Case[] = [
  // 2 envs × 32 steps: 2 iterations of 4 epochs × 4 minibatches per call.
  { name: 'ppo', options: { numEnvs: 2, numSteps: 32 }, trainEnv: cartPoleVec(2), steps: 128 },
  // 2 envs × 5 steps: 30 updates, a log row every 10.
  { name: 'a2c', options: { numEnvs: 2, logInterval: 10 }, trainEnv: cartPoleVec(2), steps: 300 },
  // Updates from step 100, every 4 steps; double Q and target syncs every 50 steps are exercised too.
  {
    name: 'dqn',
    options: {
      learningStarts: 100,
      batchSize: 16,
      trainFreq: 4,
      targetUpdateInterval: 50,
      doubleQ: true,
      logInterval: 100,
      netArch: [32, 32],
    },
    trainEnv: cartPoleVec(1),
    steps: 400,
  },
  // Batches of 2 sequences × 2 rollouts over 4 training sequences (a CartPole rollout is ~20 steps).
  {
    name: 'reinforce',
    options: { rolloutsPerSequence: 2, sequencesPerBatch: 2, numSequences: 4, hiddenLayers: [16] },
    trainEnv: () => make('CartPole-v1'),
    steps: 300,
  },
];

const cartPole = make('CartPole-v1');
const tmp = () => mkdtempSync(join(tmpdir(), 'schedlab-contract-'));

function build(c: Case, seed: number): LearnedAgent {
  const agent = makeAgent(c.name, cartPole, c.options, { seed, envId: 'CartPole-v1' });
  if (!(agent instanceof LearnedAgent)) throw new Error(`makeAgent('${c.name}') built ${agent.name}, not a learned agent`);
  return agent;
}

async function learn(c: Case, agent: Agent): Promise<void> {
  await agent.learn(c.trainEnv(), { totalSteps: c.steps });
}

/** The logged progress rows without the wall-clock figures (SPS, time/*). */
const curve = (agent: LearnedAgent) =>
  agent.logger.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'SPS' && !k.startsWith('time/'))));

/** What `save` writes: the checkpoint's metadata as parsed JSON, every other file as its SHA-256. */
async function checkpoint(agent: Agent): Promise<{ meta: unknown; files: Record<string, string> }> {
  const dir = tmp();
  await agent.save(dir);
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir).sort())
    if (f !== 'checkpoint.json')
      files[f] = createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex');
  return { meta: JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')), files };
}

/** A few CartPole states, away from the origin so the policy's preferences are not all ties. */
const probes = [
  Float32Array.of(0.01, 0.02, 0.03, 0.04),
  Float32Array.of(-0.5, 1, 0.1, -1),
  Float32Array.of(1.2, -0.3, -0.15, 0.8),
  Float32Array.of(0, 0, 0.2, 0),
];
/** Greedy actions on the probes, then 20 sampled ones (these advance and so compare the samplers' states). */
const actions = (agent: Agent) => [
  ...probes.map((o) => agent.act(o, { deterministic: true })),
  ...Array.from({ length: 20 }, (_, i) => agent.act(probes[i % probes.length])),
];

describe.each(cases)('$name keeps the learned-agent contract', (c) => {
  test('determinism: the same seed gives the same curve and checkpoint bytes; another seed gives neither', async () => {
    const [a, b, other] = [build(c, 5), build(c, 5), build(c, 6)];
    for (const x of [a, b, other]) await learn(c, x);
    expect(curve(a).length).toBeGreaterThan(1);
    expect(curve(b)).toEqual(curve(a));
    expect(await checkpoint(b)).toEqual(await checkpoint(a));
    expect(curve(other)).not.toEqual(curve(a));
    expect((await checkpoint(other)).files).not.toEqual((await checkpoint(a)).files);
    [a, b, other].forEach((x) => x.dispose());
  });

  test('resume: a checkpoint loaded into an agent of another seed continues exactly as the run that never stopped', async () => {
    const whole = build(c, 7);
    await learn(c, whole);
    const dir = tmp();
    await whole.save(dir);
    const rowsAtSave = curve(whole).length;
    await learn(c, whole);
    const resumed = build(c, 999);
    await resumed.load(dir);
    await learn(c, resumed);
    expect(curve(resumed).length).toBeGreaterThan(0);
    expect(curve(resumed)).toEqual(curve(whole).slice(rowsAtSave));
    expect(await checkpoint(resumed)).toEqual(await checkpoint(whole));
    expect(actions(resumed)).toEqual(actions(whole));
    [whole, resumed].forEach((x) => x.dispose());
  });

  test('leaks: numTensors stays flat over more learning, save and load; dispose releases everything', async () => {
    const before = tf.memory().numTensors;
    const agent = build(c, 8);
    await learn(c, agent);
    const warm = tf.memory().numTensors;
    await learn(c, agent);
    await learn(c, agent);
    const dir = tmp();
    await agent.save(dir);
    await agent.load(dir);
    actions(agent);
    expect(tf.memory().numTensors).toBe(warm);
    agent.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('bad input: misspelt and mistyped options are OptionErrors naming the option and what is accepted', () => {
    const optionError = (options: Record<string, unknown>): OptionError => {
      try {
        makeAgent(c.name, cartPole, { ...c.options, ...options });
      } catch (e) {
        if (e instanceof OptionError) return e;
        throw e;
      }
      throw new Error(`${c.name} accepted ${JSON.stringify(options)}`);
    };
    // Stable-Baselines3's spelling of an option.
    expect(optionError({ learning_rate: 1e-3 }).message).toMatch(
      new RegExp(`^${c.name}: option 'learning_rate' is not an option; accepted: .*\\blearningRate\\b`),
    );
    expect(optionError({ learningRate: 'fast' }).message).toMatch(
      new RegExp(`^${c.name}: option 'learningRate' must be a finite number, got 'fast'; accepted: a number > 0`),
    );
    expect(optionError({ gamma: 1.5 }).message).toMatch(/option 'gamma' is 1\.5, out of range; accepted: a number >= 0 and <= 1/);
  });

  test("bad input: another algorithm's checkpoint, and a folder without one, are refused with the reason", async () => {
    const otherName = cases[(cases.indexOf(c) + 1) % cases.length];
    const other = build(otherName, 0);
    const dir = tmp();
    await other.save(dir);
    const agent = build(c, 0);
    await expect(agent.load(dir)).rejects.toThrow(new RegExp(`agent '${otherName.name}', not '${c.name}'`));
    await expect(agent.load(join(dir, 'missing'))).rejects.toThrow(/no checkpoint here \(checkpoint\.json is missing\)/);
    [other, agent].forEach((x) => x.dispose());
  });
});
