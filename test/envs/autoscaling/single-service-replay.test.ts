/**
 * Autoscaling-v0 replays trajectories recorded before it became a registration of the one-service chain
 * (issue 12): the fixture holds, for several option sets (constant, diurnal and trace loads; M/M/c and DES;
 * delta and target actions) and several actors (the autoscaling heuristics and seeded random actions),
 * every observation, reward, flag, info (state view, mask, figures), metric and rendered frame of two
 * episodes (a seeded reset, then an unseeded one), the spaces, the wrapped name and the messages of bad
 * options. Any change in the numbers of Autoscaling-v0 fails here.
 *
 * Recorded by `SCHEDLAB_RECORD_FIXTURES=1 npx vitest run test/envs/autoscaling/single-service-replay.test.ts`
 * at commit e597595 (AutoscalingEnv as its own env class); re-record only for an intended change of the env.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeAgent } from '../../../agents/index.js';
import { Rng } from '../../../core/rng.js';
import type { Env } from '../../../envs/core/env.js';
import { make } from '../../../envs/index.js';

const FIXTURE = new URL('./fixtures/autoscaling-v0-trajectories.json', import.meta.url);
const RECORD = process.env.SCHEDLAB_RECORD_FIXTURES === '1';

interface Case {
  name: string;
  options: Record<string, unknown>;
  /** A registered heuristic (with its options), or 'random' for seeded uniform actions. */
  actor: string;
  actorOptions?: Record<string, unknown>;
  seed: number;
}

const trace = { type: 'trace', path: 'azure-llm-conv' };
const CASES: Case[] = [
  { name: 'defaults (diurnal, mmc, delta), hpa', options: {}, actor: 'hpa', seed: 1 },
  {
    name: 'constant, des, delta, random',
    options: { load: { type: 'constant', rate: 6 }, latencyModel: 'des', episodeLength: 300 },
    actor: 'random',
    seed: 2,
  },
  {
    name: 'constant overload, mmc, small queue, slow start-up, hpa',
    options: { load: { type: 'constant', rate: 30 }, queueCapacity: 20, startupDelay: 60, maxReplicas: 25, episodeLength: 450 },
    actor: 'hpa',
    seed: 3,
  },
  {
    name: 'diurnal with bursts, des, target, threshold',
    options: { load: { type: 'diurnal', burstsPerHour: 6, peakRate: 6 }, latencyModel: 'des', action: 'target', episodeLength: 450 },
    actor: 'threshold',
    seed: 4,
  },
  {
    name: 'diurnal, mmc, target, random',
    options: { load: { type: 'diurnal', noise: 0.3 }, action: 'target', queueCapacity: 10, episodeLength: 450 },
    actor: 'random',
    seed: 5,
  },
  {
    name: 'trace, mmc, delta, predictive',
    options: { load: trace, serviceRate: 0.5, minReplicas: 2, maxReplicas: 30, sloLatency: 8, maxStep: 3, episodeLength: 600 },
    actor: 'predictive',
    seed: 6,
  },
  {
    name: 'trace, des, target, static 6',
    options: {
      load: { ...trace, timeScale: 2, rateScale: 1.5 },
      latencyModel: 'des',
      action: 'target',
      episodeLength: 300,
      historyWindow: 4,
    },
    actor: 'static',
    actorOptions: { replicas: 6 },
    seed: 7,
  },
  {
    name: 'trace, des, delta, hpa (custom behaviour)',
    options: {
      load: trace,
      latencyModel: 'des',
      initialReplicas: 3,
      controlInterval: 30,
      episodeLength: 900,
      costPerReplicaHour: 2.5,
      sloPenalty: 1,
    },
    actor: 'hpa',
    actorOptions: { targetUtilization: 60, scaleDown: { stabilizationWindowSeconds: 60 } },
    seed: 8,
  },
  {
    name: 'constant, mmc, delta, threshold, odd interval',
    options: { load: { type: 'constant', rate: 3.3 }, controlInterval: 7, episodeLength: 200, sloPercentile: 0.99, sloLatency: 6 },
    actor: 'threshold',
    seed: 9,
  },
  {
    name: 'diurnal, des, delta, predictive',
    options: { latencyModel: 'des', episodeLength: 450, historyWindow: 12 },
    actor: 'predictive',
    seed: 10,
  },
];

/** Bad options and what Autoscaling-v0 says about them. */
const BAD_OPTIONS: Record<string, unknown>[] = [
  { minReplicas: 5, maxReplicas: 3 },
  { initialReplicas: 40 },
  { initialReplicas: 2.5 },
  { sloPercentile: 1 },
  { sloPercentile: 0 },
  { serviceRate: 0 },
  { latencyModel: 'fluid' },
  { action: 'absolute' },
  { maxStep: 0 },
  { load: 'diurnal' },
  { load: { type: 'sine' } },
  { load: { type: 'trace', path: 'azure-llm-conv' }, episodeLength: 1e7 },
  { queueCapacity: -1 },
  { historyWindow: 0 },
  { replicas: 3 },
];

/** Typed arrays as arrays, -0 as 0, non-finite numbers as strings: JSON that compares exactly. */
function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (x) => plain(x));
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : String(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function record(c: Case) {
  const env = make<Float32Array, number>('Autoscaling-v0', c.options);
  const agent = c.actor === 'random' ? undefined : makeAgent(c.actor, env, c.actorOptions ?? {}, { seed: c.seed });
  const rng = new Rng(c.seed);
  const n = (env.actionSpace as unknown as { n: number }).n;
  const episodes = [];
  for (const seed of [c.seed, undefined]) {
    let { observation, info } = env.reset({ seed });
    agent?.onEpisodeStart?.();
    const steps: unknown[] = [{ observation, info, render: env.render() }];
    for (;;) {
      const action = agent ? (agent.act(observation, { mask: info.actionMask, info }) as number) : rng.integers(0, n);
      const s = env.step(action);
      steps.push({
        action,
        observation: s.observation,
        reward: s.reward,
        terminated: s.terminated,
        truncated: s.truncated,
        info: s.info,
        render: env.render(),
      });
      ({ observation, info } = s);
      if (s.terminated || s.truncated) break;
    }
    episodes.push(steps);
  }
  return plain({
    name: env.toString(),
    observationSpace: env.observationSpace.toJSON(),
    actionSpace: env.actionSpace.toJSON(),
    metadata: env.metadata,
    episodes,
  });
}

function badOptionMessage(options: Record<string, unknown>): string {
  try {
    make('Autoscaling-v0', options);
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
  return '(accepted)';
}

/** What the raw env says to bad actions and to a step after the episode's end. */
function badStepMessages(): string[] {
  const said = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return `${(e as Error).constructor.name}: ${(e as Error).message}`;
    }
    return '(accepted)';
  };
  const messages: string[] = [];
  for (const options of [{ episodeLength: 30 }, { episodeLength: 30, action: 'target', minReplicas: 2, maxReplicas: 6 }]) {
    const env = make('Autoscaling-v0', options).unwrapped as Env<Float32Array, number>;
    messages.push(said(() => env.step(0)));
    env.reset({ seed: 0 });
    for (const action of [99, -1, 1.5, Number.NaN, '3' as unknown as number]) messages.push(said(() => env.step(action)));
    env.step(1);
    env.step(1);
    messages.push(said(() => env.step(1)));
  }
  return messages;
}

function recordAll() {
  return {
    cases: Object.fromEntries(CASES.map((c) => [c.name, record(c)])),
    badOptions: BAD_OPTIONS.map((options) => ({ options, message: badOptionMessage(options) })),
    badSteps: badStepMessages(),
  };
}

describe('Autoscaling-v0 replays its recorded trajectories exactly', () => {
  if (RECORD) {
    it('records the fixture', () => {
      writeFileSync(FIXTURE, `${JSON.stringify(recordAll())}\n`);
    });
    return;
  }
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ReturnType<typeof recordAll>;
  for (const c of CASES) {
    it(c.name, () => {
      expect(record(c)).toEqual((fixture.cases as Record<string, unknown>)[c.name]);
    });
  }
  it('the same messages for bad options', () => {
    // Since the recording, integer options may also name an upper limit (envs/autoscaling/load/limits.ts):
    // "an integer >= 1 and <= 100000" was "an integer >= 1". Everything else is compared as recorded.
    const recorded = (message: string) => message.replace(/(accepted: an integer >= \d+) and <= \d+$/, '$1');
    expect(BAD_OPTIONS.map((options) => ({ options, message: recorded(badOptionMessage(options)) }))).toEqual(fixture.badOptions);
  });
  it('the same messages for bad actions and a step past the end', () => {
    expect(badStepMessages()).toEqual(fixture.badSteps);
  });
});
