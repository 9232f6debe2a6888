import { describe, expect, it } from 'vitest';
import { makeAgent } from '../../../agents/core/registry.js';
import '../../../agents/heuristics/traffic/index.js';
import { evaluate } from '../../../agents/core/evaluation.js';
import { TrafficBaseline } from '../../../agents/heuristics/traffic/baselines.js';
import { make } from '../../../envs/core/registry.js';
import '../../../envs/classic/index.js';
import '../../../envs/traffic/index.js';
import { pathLp } from '../../../envs/traffic/lp.js';
import { readTrafficState, type WanTrafficEngineeringEnv } from '../../../envs/traffic/wan-te.js';

const ID = 'WanTrafficEngineering-v0';

function baseline(name: string, env: ReturnType<typeof make>, options: Record<string, unknown> = {}): TrafficBaseline {
  return makeAgent(name, env, options) as TrafficBaseline;
}

describe('traffic baselines', () => {
  // The oracle solves the LP on the matrix it routes: ratio OPT_K/OPT, 1 on the shipped data (k = 4).
  it.each([
    ['b4', 'teal-b4-real'],
    ['abilene', 'yates-5min'],
    ['abilene', 'yates-hourly'],
  ] as const)(
    'the oracle scores MLU/OPT = 1 on every matrix of %s / %s',
    (topology, traffic) => {
      const env = make(ID, { topology, traffic, split: 'all', history: 1 });
      const oracle = baseline('oracle', env);
      let { observation, info } = env.reset({ seed: 0 });
      let worst = 0;
      let steps = 0;
      for (;;) {
        const r = env.step(oracle.act(observation, { info }));
        ({ observation, info } = r);
        worst = Math.max(worst, Math.abs((r.info.ratio as number) - 1));
        steps++;
        if (r.terminated) break;
      }
      expect(steps).toBe(traffic === 'yates-hourly' ? 200 : 36);
      expect(worst).toBeLessThan(1e-8);
    },
    600_000,
  );

  it('shortest-path puts everything on the first path, uniform-k splits evenly over the real paths', () => {
    const env = make(ID, { topology: 'abilene', split: 'test', history: 1 });
    const { info } = env.reset({ seed: 0 });
    const view = readTrafficState(info, 't');
    const sp = baseline('shortest-path', env).weights(view);
    const uk = baseline('uniform-k', env).weights(view);
    const paths = view.paths.paths;
    for (let p = 0; p < paths.length; p++) {
      expect(sp[p * 4]).toBe(1);
      for (let i = 0; i < 4; i++) expect(uk[p * 4 + i]).toBe(i < paths[p].length ? 1 / paths[p].length : 0);
    }
  });

  it('prev-lp is the LP on D_{t−1} (the oracle of the step before); avg-lp with history 1 is prev-lp; max-lp is the LP on the element-wise max', () => {
    const env = make(ID, { topology: 'b4', split: 'test', history: 1 });
    const unwrapped = env.unwrapped as WanTrafficEngineeringEnv;
    const { info } = env.reset({ seed: 0 });
    const view = readTrafficState(info, 't');
    expect(view.index).toBe(27);
    const prev = baseline('prev-lp', env).weights(view);
    const oracleView = { ...view, index: 26 };
    expect(prev).toEqual(baseline('oracle', env).weights(oracleView));
    expect(baseline('avg-lp', env, { history: 1 }).weights(view)).toEqual(prev);
    const m = unwrapped.problem.series.matrices;
    const max = m[24].map((v, j) => Math.max(v, m[25][j], m[26][j]));
    const expected = pathLp(unwrapped.topology, unwrapped.problem.paths, max, true).split;
    expect(baseline('max-lp', env, { history: 3 }).weights(view)).toEqual(expected);
    const avg = m[24].map((v, j) => v / 3 + m[25][j] / 3 + m[26][j] / 3);
    const avgSplit = pathLp(unwrapped.topology, unwrapped.problem.paths, avg, true).split;
    const got = baseline('avg-lp', env, { history: 3 }).weights(view);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(avgSplit[i], 9);
  });

  it('at the first matrix of the series the history-based LPs fall back to uniform-k', () => {
    const env = make(ID, { topology: 'b4', split: 'train', history: 1 });
    const { info } = env.reset({ seed: 0 });
    const view = readTrafficState(info, 't');
    expect(view.index).toBe(0);
    const uniform = baseline('uniform-k', env).weights(view);
    for (const name of ['prev-lp', 'avg-lp', 'max-lp']) expect(baseline(name, env).weights(view)).toEqual(uniform);
  });

  it('every baseline acts in both action modes and scores as its weights do', () => {
    for (const actionMode of ['splits', 'paths'] as const) {
      const env = make(ID, { topology: 'b4', split: 'test', history: 1, actionMode });
      for (const name of ['shortest-path', 'ecmp', 'uniform-k', 'oracle', 'prev-lp', 'avg-lp', 'max-lp']) {
        const result = evaluate(env, makeAgent(name, env), { episodes: 1, seed: 1 });
        expect(result.metrics.ratio_mean.mean).toBeGreaterThanOrEqual(1 - 1e-9);
        if (actionMode === 'splits' && name === 'oracle') expect(result.metrics.ratio_max.mean).toBeLessThan(1 + 1e-8);
      }
    }
  });

  it('ecmp refuses a k too small to hold every equal-hop shortest path; the baselines refuse other envs', () => {
    expect(() => makeAgent('ecmp', make(ID, { k: 1, history: 1 }))).toThrow(/more equal-hop shortest paths than k = 1.*raise the env's k/);
    expect(() => makeAgent('uniform-k', make('CartPole-v1'))).toThrow(/acts only on WanTrafficEngineering-v0/);
    expect(() => makeAgent('avg-lp', make(ID, { history: 1 }), { history: 0 })).toThrow(/option 'history'/);
  });
});
