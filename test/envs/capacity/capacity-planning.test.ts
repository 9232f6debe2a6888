import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFileError, InvalidActionError, OptionError, SchedlabError } from '../../../core/errors.js';
import { CAPACITY_MULTIPLIERS, CapacityPlanningEnv, readCapacityState, type CapacityState } from '../../../envs/capacity/index.js';
import { checkEnv } from '../../../envs/core/checker/index.js';
import { make } from '../../../envs/index.js';

const dir = mkdtempSync(join(tmpdir(), 'capacity-'));
function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A CSV series 1, 2, …, n. */
const ramp = (n: number) => csv(`ramp-${n}.csv`, Array.from({ length: n }, (_, i) => String(i + 1)).join('\n') + '\n');

const view = (info: Record<string, unknown>): CapacityState => readCapacityState(info, 'test');

describe('CapacityPlanning-v0 passes the env checker', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['hpc2n-daily, continuous (defaults)', {}],
    ['hpc2n-daily test split, discrete', { split: 'test', action: 'discrete' }],
    ['azure-llm-conv, discrete', { demand: 'azure-llm-conv', action: 'discrete' }],
    ['ar1, purchase', { demand: 'ar1', mode: 'purchase' }],
    ['poisson, L = 0', { demand: 'poisson', leadTime: 0 }],
    [
      'CSV, L = 3, purchase, discrete',
      { demand: ramp(60), leadTime: 3, window: 5, mode: 'purchase', commitPeriods: 2, action: 'discrete' },
    ],
  ];
  it.each(cases)('%s', (_name, options) => {
    const report = checkEnv(new CapacityPlanningEnv(options));
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.warnings).toEqual([]);
  });
});

describe('CapacityPlanning-v0 dynamics', () => {
  it('rental: observation, reward −(c·R + b·(D − R)⁺)/(c·mean), info, metrics at the end', () => {
    // Series 1..40: train = periods 0..29, scale = mean(1..30) = 15.5; maxCapacity = 80.
    const env = new CapacityPlanningEnv({ demand: ramp(40), window: 4, leadTime: 2, episodeLength: 3, reservedPrice: 1, onDemandPrice: 4 });
    expect(env.scale).toBe(15.5);
    expect(env.maxCapacity).toBe(80);
    expect(env.observationSpace.shape).toEqual([4 + 2]);
    const { observation, info } = env.reset({ seed: 3 });
    const v = view(info);
    const t = v.time;
    expect(v.target).toBe(t + 2);
    expect(Array.from(observation.subarray(0, 4))).toEqual([t - 2, t - 1, t, t + 1].map((d) => Math.fround(d / 15.5)));
    expect(Array.from(observation.subarray(4))).toEqual([0, 0]);
    expect(v.lastDemand).toBe(t + 1);
    expect(Array.from(v.demands)).toEqual(Array.from({ length: t + 1 }, (_, i) => i + 1));
    expect(v.criticalRatio).toBe(0.75);
    // Ask for 40 % of maxCapacity = 32 for period t + 2 (demand t + 3).
    const a = Float32Array.of(0.4);
    const r = env.step(a);
    const R = Math.fround(0.4) * 80;
    const D = t + 3;
    expect(r.info.reserved).toBeCloseTo(R, 12);
    expect(r.info.demand).toBe(D);
    expect(r.info.shortfall).toBeCloseTo(Math.max(0, D - R), 12);
    expect(r.info.slack).toBeCloseTo(Math.max(0, R - D), 12);
    expect(r.info.cost).toBeCloseTo(R + 4 * Math.max(0, D - R), 12);
    expect(r.info.oracleCost).toBe(D);
    expect(r.reward).toBeCloseTo(-(R + 4 * Math.max(0, D - R)) / 15.5, 12);
    // The committed pipeline for t+2, t+3 (seen from t+1): R, then the open period.
    expect(r.observation[4]).toBeCloseTo(R / 15.5, 5);
    expect(r.observation[5]).toBe(0);
    expect(r.terminated).toBe(false);
    env.step(Float32Array.of(0));
    const last = env.step(Float32Array.of(1));
    expect(last.terminated).toBe(true);
    expect(last.truncated).toBe(false);
    const m = last.info.metrics!;
    const costs = [R + 4 * Math.max(0, D - R), 0 + 4 * (D + 1), 80];
    const oracle = [D, D + 1, D + 2];
    expect(m.cost_ratio).toBeCloseTo(costs.reduce((x, y) => x + y) / oracle.reduce((x, y) => x + y), 12);
    expect(m.shortage_rate).toBeCloseTo(((D > R ? 1 : 0) + 1) / 3, 12);
    expect(m.mean_slack).toBeCloseTo((Math.max(0, R - D) / R + 0 + (80 - D - 2) / 80) / 3, 12);
    const q = 0.75;
    const pin = (d: number, r: number) => q * Math.max(0, d - r) + (1 - q) * Math.max(0, r - d);
    expect(m.pinball_loss).toBeCloseTo((pin(D, R) + pin(D + 1, 0) + pin(D + 2, 80)) / 3 / 15.5, 12);
    expect(m.critical_ratio).toBe(0.75);
    // cost − oracle cost = b · pinball, period by period.
    expect(m.cost - m.oracle_cost).toBeCloseTo((4 * m.pinball_loss * 3 * 15.5) / 15.5, 9);
    expect(() => env.step(Float32Array.of(0.5))).toThrow(/reset/);
  });

  it('the oracle (R = D) scores −D/mean each step and a cost ratio of 1', () => {
    const env = make('CapacityPlanning-v0', { demand: 'ar1' });
    let { info } = env.reset({ seed: 5 });
    for (;;) {
      const v = view(info);
      const r = env.step(Float32Array.of(v.hindsightDemand / v.maxCapacity));
      expect(r.reward).toBeCloseTo(-(r.info.demand as number) / 100, 5);
      info = r.info;
      if (r.terminated) {
        expect(r.info.metrics!.cost_ratio).toBeCloseTo(1, 5);
        break;
      }
    }
  });

  it('purchase: capacity bought at t arrives at t + L and stays commitPeriods periods; the env buys only what is missing', () => {
    const env = new CapacityPlanningEnv({
      demand: ramp(100),
      window: 3,
      leadTime: 1,
      mode: 'purchase',
      commitPeriods: 3,
      episodeLength: 5,
      maxCapacity: 100,
    });
    expect(env.observationSpace.shape).toEqual([3 + 1 + 2]);
    env.reset({ seed: 0 });
    const r1 = env.step(Float32Array.of(0.25)); // buys 25 for the next 3 periods
    expect(r1.info.reserved).toBe(25);
    expect(view(r1.info).committedFromTarget).toEqual([25, 25, 0]);
    expect(Array.from(r1.observation.subarray(3)).map((x) => x * env.scale)).toEqual([25, 25, 0].map((x) => expect.closeTo(x, 4)));
    const r2 = env.step(Float32Array.of(0.1)); // 25 already there: buys nothing
    expect(r2.info.reserved).toBe(25);
    expect(view(r2.info).committedFromTarget).toEqual([25, 0, 0]);
    const r3 = env.step(Float32Array.of(0.5)); // buys 25 more
    expect(r3.info.reserved).toBe(50);
    expect(view(r3.info).committedFromTarget).toEqual([25, 25, 0]);
  });

  it('discrete: multipliers 0.5…1.5 of the last demand, masked above maxCapacity', () => {
    expect(CAPACITY_MULTIPLIERS).toHaveLength(21);
    expect(CAPACITY_MULTIPLIERS[0]).toBe(0.5);
    expect(CAPACITY_MULTIPLIERS[10]).toBe(1);
    expect(CAPACITY_MULTIPLIERS[20]).toBe(1.5);
    const env = new CapacityPlanningEnv({ demand: ramp(100), window: 3, action: 'discrete', maxCapacity: 60, episodeLength: 10 });
    const { info } = env.reset({ seed: 1 });
    const d = view(info).lastDemand;
    const mask = info.actionMask!;
    expect(Array.from(mask)).toEqual(CAPACITY_MULTIPLIERS.map((m, i) => (i === 0 || m * d <= 60 ? 1 : 0)));
    expect(Array.from(env.actionMasks!())).toEqual(Array.from(mask));
    const r = env.step(10);
    expect(r.info.reserved).toBe(d);
    const bad = CAPACITY_MULTIPLIERS.findIndex((m, i) => i > 0 && m * (d + 1) > 60);
    if (bad >= 0) expect(() => env.step(bad)).toThrow(InvalidActionError);
    expect(() => env.step(21)).toThrow(InvalidActionError);
  });

  it('continuous actions are clipped to [0, 1]; a non-finite one is an InvalidActionError', () => {
    const env = new CapacityPlanningEnv({ demand: 'ar1' });
    env.reset({ seed: 0 });
    expect(env.step(Float32Array.of(7)).info.reserved).toBe(env.maxCapacity);
    expect(env.step(Float32Array.of(-1)).info.reserved).toBe(0);
    expect(() => env.step(Float32Array.of(NaN))).toThrow(InvalidActionError);
  });

  it('splits: train decides periods in the first 75 %, test in the rest; episodes are clipped to the split', () => {
    const path = ramp(200); // train 0..149, test 150..199
    const train = new CapacityPlanningEnv({ demand: path, window: 10, episodeLength: 30 });
    const test = new CapacityPlanningEnv({ demand: path, window: 10, episodeLength: 30, split: 'test' });
    for (let s = 0; s < 30; s++) {
      const a = view(train.reset({ seed: s }).info);
      expect(a.target).toBeGreaterThanOrEqual(10);
      expect(a.target + 29).toBeLessThanOrEqual(149);
      const b = view(test.reset({ seed: s }).info);
      expect(b.target).toBeGreaterThanOrEqual(150);
      expect(b.target + 29).toBeLessThanOrEqual(199);
    }
    const short = new CapacityPlanningEnv({ demand: path, window: 10, split: 'test' }); // 50 test periods < 90
    const { info } = short.reset({ seed: 0 });
    expect(view(info).target).toBe(150);
    expect(view(info).stepsLeft).toBe(50);
  });

  it('the same seed gives the same episode; synthetic paths differ by seed', () => {
    const run = (seed: number) => {
      const env = new CapacityPlanningEnv({ demand: 'poisson', episodeLength: 20 });
      env.reset({ seed });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push(env.step(Float32Array.of(0.3)).reward);
      return out;
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  it('calendar phases only where the series has them: hpc2n-daily the week (2), the Azure hour and synthetic series none', () => {
    const h = new CapacityPlanningEnv({});
    expect([h.hasDayPhase, h.hasWeekPhase]).toEqual([false, true]);
    expect(h.observationSpace.shape).toEqual([28 + 1 + 2]);
    const { observation, info } = h.reset({ seed: 0 });
    const s = h.recorded!;
    const time = s.startSeconds! + view(info).target * 86400;
    const phase = (2 * Math.PI * (time % (7 * 86400))) / (7 * 86400);
    expect(observation[29]).toBeCloseTo(Math.sin(phase), 6);
    expect(observation[30]).toBeCloseTo(Math.cos(phase), 6);
    const a = new CapacityPlanningEnv({ demand: 'azure-llm-conv' });
    expect([a.hasDayPhase, a.hasWeekPhase]).toEqual([false, false]);
    expect(a.observationSpace.shape).toEqual([29]);
    expect(new CapacityPlanningEnv({ demand: 'ar1' }).observationSpace.shape).toEqual([29]);
  });

  it('render describes the state', () => {
    const env = new CapacityPlanningEnv({ demand: 'ar1' });
    env.reset({ seed: 0 });
    expect(env.render()).toMatch(/step 0\/90: last demand D\[27\]/);
  });
});

describe('bad input: clear errors', () => {
  it('a demand CSV with a negative, missing or non-numeric value names the file and line', () => {
    const neg = csv('neg.csv', 'demand\n3\n4\n-1\n5\n');
    expect(() => new CapacityPlanningEnv({ demand: neg })).toThrow(InputFileError);
    expect(() => new CapacityPlanningEnv({ demand: neg })).toThrow(`${neg}:4 (field demand): is -1, negative`);
    const missing = csv('missing.csv', '3\n4\n\n5\n');
    expect(() => new CapacityPlanningEnv({ demand: missing })).toThrow(`${missing}:3 (field demand): is missing`);
    const text = csv('text.csv', '3\n4\nlots\n5\n');
    expect(() => new CapacityPlanningEnv({ demand: text })).toThrow(`${text}:3 (field demand): is 'lots', not a number`);
    const nan = csv('nan.csv', '3\nNaN\n');
    expect(() => new CapacityPlanningEnv({ demand: nan })).toThrow(`${nan}:2 (field demand)`);
    expect(() => new CapacityPlanningEnv({ demand: join(dir, 'absent.csv') })).toThrow(/option 'demand' is '.*absent.csv': no such file/);
  });

  it('a series shorter than window + leadTime', () => {
    const path = ramp(20);
    expect(() => new CapacityPlanningEnv({ demand: path, window: 20, leadTime: 1 })).toThrow(OptionError);
    expect(() => new CapacityPlanningEnv({ demand: path, window: 20, leadTime: 1 })).toThrow(
      /holds 20 periods, shorter than window \+ leadTime \(20 \+ 1\)/,
    );
    // Long enough as a whole, but the test split then leaves no decision: also an error, naming the split.
    expect(() => new CapacityPlanningEnv({ demand: ramp(24), window: 23, leadTime: 1, split: 'train' })).toThrow(/option 'split'/);
  });

  it('onDemandPrice ≤ reservedPrice, leadTime < 0 and other bad options', () => {
    expect(() => new CapacityPlanningEnv({ onDemandPrice: 1, reservedPrice: 1 })).toThrow(
      /option 'onDemandPrice' is 1, not above reservedPrice \(1\)/,
    );
    expect(() => new CapacityPlanningEnv({ onDemandPrice: 0.5 })).toThrow(OptionError);
    expect(() => new CapacityPlanningEnv({ leadTime: -1 })).toThrow(/option 'leadTime' is -1, out of range; accepted: an integer >= 0/);
    expect(() => new CapacityPlanningEnv({ demand: 'ar1', phi: 1 })).toThrow(/option 'phi'/);
    expect(() => new CapacityPlanningEnv({ mode: 'lease' })).toThrow(/option 'mode' is 'lease'; accepted: 'rental' \| 'purchase'/);
    expect(() => new CapacityPlanningEnv({ horizon: 3 })).toThrow(/option 'horizon' is not an option/);
    for (const bad of [() => new CapacityPlanningEnv({ leadTime: -1 }), () => new CapacityPlanningEnv({ onDemandPrice: 1 })])
      expect(bad).toThrow(SchedlabError);
  });
});
