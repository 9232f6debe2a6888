import { describe, expect, it } from 'vitest';
import '../../../envs/index.js';
import {
  Box,
  ClipAction,
  Dict,
  Discrete,
  Env,
  FlattenObservation,
  FrameStack,
  make,
  MultiDiscrete,
  NormalizeObservation,
  NormalizeReward,
  RecordEpisodeStatistics,
  RescaleAction,
  TransformObservation,
  TransformReward,
  type Info,
  type ResetArgs,
  type ResetResult,
  type Space,
  type StepResult,
} from '../../../envs/core/index.js';

/**
 * A scripted env: observation [t, t²] at step t (t = reset offset + steps), reward rewards[t % len],
 * terminated after `length` steps; masked (valid actions: those ≤ t mod 3) and records the last action.
 */
class ToyEnv extends Env<Float32Array, any> {
  observationSpace = new Box<Float32Array>(-Infinity, Infinity, [2], 'float32');
  actionSpace: Space<any>;
  t = 0;
  lastAction: unknown;
  constructor(
    actionSpace: Space<any> = new Discrete(3),
    readonly rewards = [1, -2, 0.5, 3],
    readonly length = 5,
    readonly terminate = true,
  ) {
    super();
    this.actionSpace = actionSpace;
  }
  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    this.t = (args.options?.offset as number | undefined) ?? 0;
    return { observation: this.obs(), info: { actionMask: this.actionMasks() } };
  }
  step(action: unknown): StepResult<Float32Array> {
    this.lastAction = action;
    const reward = this.rewards[this.t % this.rewards.length];
    this.t++;
    const done = this.t % this.length === 0;
    const info: Info = { actionMask: this.actionMasks() };
    return { observation: this.obs(), reward, terminated: done && this.terminate, truncated: done && !this.terminate, info };
  }
  override actionMasks(): Uint8Array {
    return Uint8Array.from([0, 1, 2], (a) => (a <= this.t % 3 ? 1 : 0));
  }
  private obs(): Float32Array {
    return Float32Array.from([this.t, this.t * this.t]);
  }
}

describe('RecordEpisodeStatistics', () => {
  it('reports return, length and time at the end of each CartPole episode and keeps the last N', () => {
    const env = new RecordEpisodeStatistics(make('CartPole-v1'), 3);
    env.reset({ seed: 1 });
    env.actionSpace.seed(1);
    let ret = 0;
    let len = 0;
    const episodes: { r: number; l: number; t: number }[] = [];
    while (episodes.length < 5) {
      const r = env.step(env.actionSpace.sample());
      ret += r.reward;
      len++;
      if (r.terminated || r.truncated) {
        const ep = r.info.episode as { r: number; l: number; t: number };
        expect(ep.r).toBe(ret);
        expect(ep.l).toBe(len);
        expect(ep.t).toBeGreaterThanOrEqual(0);
        episodes.push(ep);
        ret = 0;
        len = 0;
        env.reset();
      } else expect(r.info.episode).toBeUndefined();
    }
    expect(env.episodeCount).toBe(5);
    expect(env.returnQueue).toEqual(episodes.slice(2).map((e) => e.r));
    expect(env.lengthQueue).toEqual(episodes.slice(2).map((e) => e.l));
    expect(env.timeQueue).toHaveLength(3);
  });
});

/** Gymnasium's RunningMeanStd in closed form: the samples pooled with a prior of weight 1e-4, mean 0, var 1. */
function pooled(xs: number[], eps = 1e-4): { mean: number; var: number } {
  const n = xs.length + eps;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = eps * (1 + mean * mean) + xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, var: m2 / n };
}

describe('NormalizeObservation', () => {
  it('normalises with the running statistics of every observation seen, reset ones included', () => {
    const env = new NormalizeObservation(new ToyEnv());
    const seen: number[][] = [[], []];
    const check = (obs: Float32Array, raw: number[]) => {
      raw.forEach((v, i) => seen[i].push(v));
      for (let i = 0; i < 2; i++) {
        const s = pooled(seen[i]);
        expect(obs[i]).toBeCloseTo((raw[i] - s.mean) / Math.sqrt(s.var + 1e-8), 5);
      }
    };
    check(env.reset().observation, [0, 0]);
    for (let t = 1; t <= 4; t++) check(env.step(0).observation, [t, t * t]);
    expect(env.observationSpace.toString()).toBe('Box(-Infinity, Infinity, (2,), float32)');
  });

  it('stops updating when frozen and restores its statistics from getState()', () => {
    const env = new NormalizeObservation(new ToyEnv());
    env.reset();
    env.step(0);
    env.step(0);
    const state = env.getState();
    env.updateRunningMean = false; // Gymnasium's name for frozen = true
    expect(env.frozen).toBe(true);
    const a = env.step(0).observation;
    expect(env.getState()).toEqual(state);
    const b = env.reset({ options: { offset: 3 } }).observation; // the same raw obs [3, 9]
    expect(Array.from(b)).toEqual(Array.from(a));
    const fresh = new NormalizeObservation(new ToyEnv());
    fresh.setState(JSON.parse(JSON.stringify(state)));
    fresh.frozen = true;
    expect(Array.from(fresh.reset({ options: { offset: 3 } }).observation)).toEqual(Array.from(a));
  });
});

describe('NormalizeReward', () => {
  it('divides by the std of the discounted return, reset only by termination', () => {
    for (const terminate of [true, false]) {
      const gamma = 0.9;
      const inner = new ToyEnv(new Discrete(3), [1, -2, 0.5, 3], 3, terminate);
      const env = new NormalizeReward(inner, gamma);
      let R = 0;
      const returns: number[] = [];
      env.reset();
      for (let t = 0; t < 8; t++) {
        const raw = inner.rewards[inner.t % inner.rewards.length];
        const r = env.step(0);
        R = R * gamma * (r.terminated ? 0 : 1) + raw;
        returns.push(R);
        expect(r.reward).toBeCloseTo(raw / Math.sqrt(pooled(returns).var + 1e-8), 10);
        if (r.terminated || r.truncated) env.reset();
      }
      expect(env.discountedReward).toBeCloseTo(R, 12);
    }
  });

  it('freezes and checkpoints', () => {
    const env = new NormalizeReward(new ToyEnv(new Discrete(3), [1, 2], 100));
    env.reset();
    for (let i = 0; i < 5; i++) env.step(0);
    const state = env.getState();
    env.frozen = true;
    const a = env.step(0).reward;
    expect(env.returnRms.getState()).toEqual({ mean: state.mean, var: state.var, count: state.count });
    const other = new NormalizeReward(new ToyEnv(new Discrete(3), [1, 2], 100));
    other.setState(state);
    other.frozen = true;
    other.reset({ options: { offset: 5 } });
    expect(other.step(0).reward).toBe(a);
    expect(other.getState().discountedReward).toBe(state.discountedReward * 0.99 + 2);
  });
});

describe('FlattenObservation', () => {
  it('flattens a Dict observation into its flat Box', () => {
    const space = new Dict({ pos: new Box(-1, 1, [2]), job: new Discrete(3) });
    const inner = new TransformObservation(new ToyEnv(), (o: Float32Array) => ({ pos: o, job: o[0] % 3 }), space as Space<any>);
    const env = new FlattenObservation(inner);
    expect(env.observationSpace.shape).toEqual([5]);
    expect(Array.from(env.reset({ options: { offset: 2 } }).observation)).toEqual([2, 4, 0, 0, 1]);
    expect(Array.from(env.step(0).observation)).toEqual([3, 9, 1, 0, 0]);
  });
});

describe('action wrappers', () => {
  it('ClipAction clips to the inner bounds and widens the action space', () => {
    const inner = new ToyEnv(new Box([-1, 0], [1, 2], [2], 'float32'));
    const env = new ClipAction(inner);
    expect(env.actionSpace.toString()).toBe('Box(-Infinity, Infinity, (2,), float32)');
    env.reset();
    env.step([5, -3]);
    expect(Array.from(inner.lastAction as Float32Array)).toEqual([1, 0]);
    env.step([0.5, 1.5]);
    expect(Array.from(inner.lastAction as Float32Array)).toEqual([0.5, 1.5]);
  });

  it('RescaleAction maps [min, max] affinely onto the inner box', () => {
    const inner = new ToyEnv(new Box([-2, 0], [2, 10], [2], 'float64'));
    const env = new RescaleAction(inner, -1, 1);
    expect(Array.from(env.actionSpace.low)).toEqual([-1, -1]);
    env.reset();
    for (const [a, expected] of [
      [
        [-1, -1],
        [-2, 0],
      ],
      [
        [1, 1],
        [2, 10],
      ],
      [
        [0, 0.5],
        [0, 7.5],
      ],
    ]) {
      env.step(a);
      expect(Array.from(inner.lastAction as Float64Array)).toEqual(expected);
    }
    expect(() => new RescaleAction(inner, 1, 1)).toThrow(/minAction < maxAction/);
    expect(() => new RescaleAction(new ToyEnv(), -1, 1)).toThrow(/float Box action space/);
  });
});

describe('TransformObservation and TransformReward', () => {
  it('apply their functions and keep or replace the space', () => {
    const env = new TransformReward(new TransformObservation(new ToyEnv(), (o: Float32Array) => o[0] * 2), (r) => r * 10);
    expect(env.observationSpace).toBeInstanceOf(Box); // no space given: the inner one is kept
    expect(env.reset().observation).toBe(0);
    const r = env.step(0);
    expect(r.observation).toBe(2);
    expect(r.reward).toBe(10);
  });
});

describe('FrameStack', () => {
  it("pads with the reset observation ('reset') and stacks oldest first", () => {
    const env = new FrameStack(new ToyEnv(), 3);
    expect(env.observationSpace.shape).toEqual([3, 2]);
    expect(Array.from(env.reset({ options: { offset: 2 } }).observation)).toEqual([2, 4, 2, 4, 2, 4]);
    expect(Array.from(env.step(0).observation)).toEqual([2, 4, 2, 4, 3, 9]);
    env.step(0);
    const o = env.step(0).observation;
    expect(Array.from(o)).toEqual([3, 9, 4, 16, 5, 25]);
    expect(env.observationSpace.contains(o)).toBe(true);
  });

  it("pads with zeros ('zero') and stacks Discrete observations into a MultiDiscrete", () => {
    const env = new FrameStack(new ToyEnv(), 2, 'zero');
    expect(Array.from(env.reset({ options: { offset: 1 } }).observation)).toEqual([0, 0, 1, 1]);
    const disc = new TransformObservation(new ToyEnv(), (o: Float32Array) => (o[0] % 4) + 1, new Discrete(4, 1) as Space<any>);
    const stacked = new FrameStack(disc, 3, 'zero');
    expect(stacked.observationSpace).toBeInstanceOf(MultiDiscrete);
    expect(Array.from(stacked.reset().observation)).toEqual([1, 1, 1]); // Discrete's zero is its start
    expect(Array.from(stacked.step(0).observation)).toEqual([1, 1, 2]);
    expect(() => new FrameStack(new ToyEnv(), 0)).toThrow(/stackSize/);
  });
});

describe('action masks', () => {
  it('every wrapper forwards actionMasks() and info.actionMask', () => {
    const wrappers: [string, (e: ToyEnv) => Env<any, any>][] = [
      ['RecordEpisodeStatistics', (e) => new RecordEpisodeStatistics(e)],
      ['NormalizeObservation', (e) => new NormalizeObservation(e)],
      ['NormalizeReward', (e) => new NormalizeReward(e)],
      ['FlattenObservation', (e) => new FlattenObservation(e)],
      ['TransformObservation', (e) => new TransformObservation(e, (o) => o)],
      ['TransformReward', (e) => new TransformReward(e, (r) => r)],
      ['FrameStack', (e) => new FrameStack(e, 2)],
    ];
    for (const [name, wrap] of wrappers) {
      const env = wrap(new ToyEnv());
      const reset = env.reset();
      expect(Array.from(reset.info.actionMask!), name).toEqual([1, 0, 0]);
      const r = env.step(0);
      expect(Array.from(r.info.actionMask!), name).toEqual([1, 1, 0]);
      expect(Array.from(env.actionMasks!()), name).toEqual([1, 1, 0]);
    }
    for (const wrap of [(e: ToyEnv) => new ClipAction(e), (e: ToyEnv) => new RescaleAction(e, 0, 1)]) {
      const env = wrap(new ToyEnv(new Box(-1, 1, [2])));
      env.reset();
      expect(Array.from(env.step([0, 0]).info.actionMask!)).toEqual([1, 1, 0]);
      expect(Array.from(env.actionMasks!())).toEqual([1, 1, 0]);
    }
  });
});
