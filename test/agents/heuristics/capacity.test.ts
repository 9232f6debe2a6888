import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LearnOptions, LearnResult } from '../../../agents/core/agent.js';
import { listAgents } from '../../../agents/core/registry.js';
import { TrainOnOptionsAgent } from '../../../agents/core/train-split-agent.js';
import { autopilotPlan, ewmaPlan, seasonalNaive, type CapacityPlanner } from '../../../agents/heuristics/capacity/index.js';
import { makeAgent, type Agent } from '../../../agents/index.js';
import { SchedlabError } from '../../../core/errors.js';
import { actionForCapacity, CapacityPlanningEnv, readCapacityState, type CapacityState } from '../../../envs/capacity/index.js';
import { ar1OptimalReservation, normalQuantile } from '../../../envs/capacity/newsvendor.js';
import { makeVec } from '../../../envs/core/vector/make-vec.js';
import type { VectorEnv } from '../../../envs/core/vector/types.js';
import { make } from '../../../envs/index.js';

const dir = mkdtempSync(join(tmpdir(), 'capacity-agents-'));
/** A CSV series of `values` (an env on it decides periods after a window of `window`). */
function series(values: number[]): string {
  const path = join(dir, `s${values.length}-${values[0]}-${values[values.length - 1]}.csv`);
  writeFileSync(path, values.join('\n') + '\n');
  return path;
}

/** A view of a CSV env after reset, on a series long enough to start anywhere. */
function viewOf(values: number[], options: Record<string, unknown> = {}): { env: CapacityPlanningEnv; view: CapacityState } {
  const env = new CapacityPlanningEnv({ demand: series(values), episodeLength: 1, ...options });
  const { info } = env.reset({ seed: 0 });
  return { env, view: readCapacityState(info, 'test') };
}

const plan = (name: string, env: CapacityPlanningEnv, view: CapacityState, options: Record<string, unknown> = {}) =>
  (makeAgent(name, env, options, { seed: 0 }) as CapacityPlanner).plan(view);

describe('capacity baselines: what each one asks for', () => {
  // 12 values, window 8, leadTime 1: the only train decision (train = 9 periods) is at t = 7 for period 8.
  const values = [5, 9, 2, 7, 4, 8, 3, 6, 1, 1, 1, 1];
  const { env, view } = viewOf(values, { window: 8 });

  it('sees D_0 … D_t and the right q*', () => {
    expect(view.time).toBe(7);
    expect(Array.from(view.demands)).toEqual(values.slice(0, 8));
    expect(view.criticalRatio).toBeCloseTo(2 / 3, 15);
  });

  it('peak, last-value, moving-max, oracle', () => {
    expect(plan('peak', env, view)).toBe(9);
    expect(plan('last-value', env, view)).toBe(6);
    expect(plan('moving-max', env, view, { window: 3 })).toBe(8);
    expect(plan('moving-max', env, view)).toBe(9); // default window 7: D_1 … D_7
    expect(plan('oracle', env, view)).toBe(1);
  });

  it('seasonal-naive: whole seasons before the target', () => {
    expect(plan('seasonal-naive', env, view, { period: 3 })).toBe(values[8 - 3]);
    expect(seasonalNaive({ ...view, leadTime: 4, target: 11 }, 3)).toBe(values[11 - 6]); // ⌈4/3⌉ = 2 seasons back
    expect(plan('seasonal-naive', env, view)).toBe(6); // a CSV has no season (1): the last value
  });

  it('empirical-newsvendor: the ⌈q*·W⌉-th smallest of the last W demands', () => {
    // Last 8 sorted: 2 3 4 5 6 7 8 9; ⌈(2/3)·8⌉ = 6 → 7.
    expect(plan('empirical-newsvendor', env, view, { window: 8 })).toBe(7);
    // Last 3: 8 3 6 → sorted 3 6 8, ⌈2⌉ = 2nd → 6.
    expect(plan('empirical-newsvendor', env, view, { window: 3 })).toBe(6);
  });

  it('ewma: mean plus Φ⁻¹(q*) standard deviations of the one-step errors', () => {
    let m = values[0];
    let v = 0;
    for (const d of values.slice(1, 8)) {
      const e = d - m;
      v = 0.7 * v + 0.3 * e * e;
      m += 0.3 * e;
    }
    expect(ewmaPlan(view, 0.3)).toBeCloseTo(m + normalQuantile(2 / 3) * Math.sqrt(v), 12);
    expect(plan('ewma', env, view)).toBeCloseTo(m + normalQuantile(2 / 3) * Math.sqrt(v), 12);
  });

  it('autopilot: the q*-percentile of a histogram whose weights halve every half-life', () => {
    // Half-life 1: weights 1, 1/2, 1/4, … from the newest (6, 3, 8, 4, 7, 2, 9, 5). Sorted by value with
    // weights: 2 (1/32), 3 (1/2), 4 (1/8), 5 (1/128), 6 (1), 7 (1/16), 8 (1/4), 9 (1/64).
    const w: Record<number, number> = { 2: 1 / 32, 3: 1 / 2, 4: 1 / 8, 5: 1 / 128, 6: 1, 7: 1 / 16, 8: 1 / 4, 9: 1 / 64 };
    const total = Object.values(w).reduce((a, b) => a + b, 0);
    let acc = 0;
    let expected = 0;
    for (const x of [2, 3, 4, 5, 6, 7, 8, 9]) {
      acc += w[x];
      if (acc >= (2 / 3) * total) {
        expected = x;
        break;
      }
    }
    expect(expected).toBe(6);
    expect(autopilotPlan(view, 1, 0)).toBe(6);
    expect(plan('autopilot', env, view, { halfLife: 1, margin: 0.1 })).toBeCloseTo(6.6, 12);
    // A very long half-life weighs all samples alike: the empirical quantile.
    expect(autopilotPlan(view, 1e9, 0)).toBe(7);
  });

  it('act() turns the plan into the action: a fraction of maxCapacity, or the nearest valid multiplier', () => {
    const agent = makeAgent('last-value', env, {}, { seed: 0 });
    const { observation, info } = env.reset({ seed: 0 });
    const a = agent.act(observation, { info }) as Float32Array;
    expect(a[0]).toBeCloseTo(6 / env.maxCapacity, 6);
    const d = new CapacityPlanningEnv({ demand: series(values), episodeLength: 1, window: 8, action: 'discrete' });
    const r = d.reset({ seed: 0 });
    const dv = readCapacityState(r.info, 'test');
    expect(actionForCapacity(dv, 6)).toBe(10); // 1.0 × 6
    expect(actionForCapacity(dv, 7.2)).toBe(14); // 1.2 × 6
    expect(actionForCapacity(dv, 100)).toBe(20); // 1.5 × 6 ≤ maxCapacity 18
    expect(actionForCapacity(dv, 0)).toBe(0);
  });

  it('a heuristic without the state view says so', () => {
    const agent = makeAgent('peak', env, {}, { seed: 0 });
    expect(() => agent.act(new Float32Array(9), {})).toThrow(
      /needs the info of the last reset\/step with the CapacityPlanning-v0 state view/,
    );
  });

  it('bad options are named', () => {
    expect(() => makeAgent('moving-max', env, { window: 0 }, { seed: 0 })).toThrow(/moving-max: option 'window' is 0, out of range/);
    expect(() => makeAgent('autopilot', env, { halfLife: -1 }, { seed: 0 })).toThrow(/option 'halfLife'/);
    expect(() => makeAgent('peak', env, { window: 3 }, { seed: 0 })).toThrow(/option 'window' is not an option/);
  });
});

describe('analytic-optimal', () => {
  it('AR(1), rental: μ + φ^L(D_t − μ) + σ_L·Φ⁻¹(q*)', () => {
    for (const leadTime of [1, 3]) {
      const env = new CapacityPlanningEnv({ demand: 'ar1', leadTime, onDemandPrice: 5 });
      const { info } = env.reset({ seed: 2 });
      const v = readCapacityState(info, 'test');
      const sigmaL = 10 * Math.sqrt((1 - 0.8 ** (2 * leadTime)) / (1 - 0.64));
      const expected = 100 + 0.8 ** leadTime * (v.lastDemand - 100) + sigmaL * normalQuantile(0.8);
      expect(ar1OptimalReservation(v.lastDemand, { mu: 100, phi: 0.8, sigma: 10 }, leadTime, 0.8)).toBeCloseTo(expected, 10);
      expect(plan('analytic-optimal', env, v)).toBeCloseTo(expected, 10);
    }
  });

  it('Poisson, rental: the smallest R with P(D ≤ R) ≥ q*', () => {
    const env = new CapacityPlanningEnv({ demand: 'poisson', lambda: 20 });
    const { info } = env.reset({ seed: 0 });
    expect(plan('analytic-optimal', env, readCapacityState(info, 'test'))).toBe(22);
  });

  it('is refused on a recorded series and on AR(1) in purchase mode, naming the agents that fit', () => {
    expect(() => makeAgent('analytic-optimal', make('CapacityPlanning-v0', {}), {}, { seed: 0 })).toThrow(SchedlabError);
    expect(() => makeAgent('analytic-optimal', make('CapacityPlanning-v0', {}), {}, { seed: 0 })).toThrow(
      /needs a known demand process.*Agents that do: .*empirical-newsvendor/,
    );
    expect(() => makeAgent('analytic-optimal', make('CapacityPlanning-v0', { demand: 'ar1', mode: 'purchase' }), {}, { seed: 0 })).toThrow(
      /in purchase mode it needs 'poisson' demand/,
    );
    expect(() =>
      makeAgent('analytic-optimal', make('CapacityPlanning-v0', { demand: 'poisson', lambda: 20, mode: 'purchase' }), {}, { seed: 0 }),
    ).toThrow(/support of at most 31 values/);
  });
});

describe('every capacity baseline runs whole episodes through make() in both action encodings and both modes', () => {
  const names = ['peak', 'last-value', 'seasonal-naive', 'moving-max', 'empirical-newsvendor', 'ewma', 'autopilot', 'oracle'];
  it.each(names)('%s', (name) => {
    for (const options of [{ split: 'test' }, { demand: 'azure-llm-conv', action: 'discrete' }, { demand: 'poisson', mode: 'purchase' }]) {
      const env = make('CapacityPlanning-v0', options);
      const agent: Agent = makeAgent(name, env, {}, { seed: 0 });
      let { observation, info } = env.reset({ seed: 1 });
      for (;;) {
        const r = env.step(agent.act(observation, { info, mask: info.actionMask }));
        ({ observation, info } = r);
        if (r.terminated) {
          expect(r.info.metrics!.cost_ratio).toBeGreaterThanOrEqual(name === 'oracle' && options.demand === undefined ? 1 - 1e-6 : 0.99);
          expect(Number.isFinite(r.info.metrics!.cost_ratio)).toBe(true);
          break;
        }
      }
    }
  });
});

describe('ppo-train-split', () => {
  it('trains on the train split of the env it is handed, whatever split that env has', async () => {
    // A stand-in for PPO that records the decided periods of the envs learn() gets.
    const targets: number[] = [];
    let numEnvs = 0;
    const inner = {
      name: 'ppo',
      options: { numEnvs: 3 },
      act: () => 0,
      async learn(env: VectorEnv, _o: LearnOptions): Promise<LearnResult> {
        numEnvs = env.numEnvs;
        for (let s = 0; s < 5; s++) {
          const r = await env.reset({ seed: s });
          for (const info of r.infos) targets.push(readCapacityState(info, 'test').target);
        }
        return { steps: 0, episodes: 0, stoppedEarly: false };
      },
      save: async () => {},
      load: async () => {},
    };
    const test = new CapacityPlanningEnv({ split: 'test' });
    const agent = new TrainOnOptionsAgent('ppo-train-split', inner, 'CapacityPlanning-v0', { ...test.options, split: 'train' }, 0);
    const handed = makeVec('CapacityPlanning-v0', 3, { options: { split: 'test' }, autoresetMode: 'same-step' });
    await agent.learn(handed, { totalSteps: 1 });
    await handed.close();
    expect(numEnvs).toBe(3);
    expect(targets).toHaveLength(15);
    const nTrain = Math.floor(0.75 * test.recorded!.values.length);
    for (const t of targets) expect(t).toBeLessThan(nTrain);
    // Its registry entry tells the runner how many sub-envs to build: PPO's numEnvs.
    const entry = listAgents().find((a) => a.name === 'ppo-train-split')!;
    expect(entry.kind).toBe('learned');
    expect(entry.vectorEnvs?.({ numEnvs: 6 })).toBe(6);
  });
});
