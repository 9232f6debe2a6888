import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../agents/core/evaluation.js';
import { HoltWinters } from '../../../agents/heuristics/autoscaling/index.js';
import { makeAgent } from '../../../agents/index.js';
import { smallestReplicasForSlo, type AutoscalingState } from '../../../envs/autoscaling/index.js';
import { make } from '../../../envs/index.js';

function view(time: number, replicas: number, utilization: number): AutoscalingState {
  return {
    time,
    controlInterval: 15,
    startupDelay: 30,
    serviceRate: 1,
    minReplicas: 1,
    maxReplicas: 30,
    sloLatency: 4,
    sloPercentile: 0.95,
    readyReplicas: replicas,
    startingReplicas: 0,
    replicas,
    utilization,
    arrivalRate: 0,
    rateHistory: [],
    queueLength: 0,
    latencyPercentile: 0,
    action: { type: 'delta', maxStep: 5 },
  };
}

const env = () => make('Autoscaling-v0', { load: { type: 'constant', rate: 6 } });

describe('autoscaling baselines', () => {
  it('act only on Autoscaling-v0', () => {
    for (const name of ['static', 'hpa', 'threshold', 'predictive']) {
      expect(() => makeAgent(name, make('CartPole-v1'))).toThrow(/acts only on Autoscaling-v0/);
    }
    expect(() => makeAgent('static', env(), { replicas: 99 })).toThrow(/option 'replicas' is 99, above the env's maxReplicas \(20\)/);
    expect(() => makeAgent('threshold', env(), { bands: [{ lower: 0.9, upper: 0.5, change: 1 }] })).toThrow(
      /option 'bands' has a band with lower >= upper/,
    );
  });

  it('static holds its count through the delta encoding', () => {
    const e = env();
    const r = evaluate(e, makeAgent('static', e, { replicas: 12 }), { episodes: 1, seed: 0 });
    expect(r.metrics.meanReplicas.mean).toBe(12);
    expect(r.metrics.scaleEvents.mean).toBe(1);
  });

  it('threshold steps by its bands and waits out the cooldown', () => {
    const agent = makeAgent('threshold', env());
    agent.onEpisodeStart?.();
    const act = (v: AutoscalingState) => v.replicas + agent.act(new Float32Array(0), { info: { autoscaling: v } }) - 5;
    expect(act(view(0, 10, 0.95))).toBe(13);
    expect(act(view(15, 13, 0.95))).toBe(13); // cooldown 60 s
    expect(act(view(60, 13, 0.8))).toBe(14);
    expect(act(view(120, 14, 0.5))).toBe(14);
    expect(act(view(135, 14, 0.2))).toBe(13);
  });

  it('Holt-Winters: exact on a linear ramp; the seasonal terms learn a repeating pattern', () => {
    const hw = new HoltWinters(0.5, 0.5, 0.1, 0);
    for (let t = 0; t < 50; t++) hw.observe(2 + 0.5 * t);
    expect(hw.forecast(1)).toBeCloseTo(2 + 0.5 * 50, 6);
    expect(hw.forecast(3)).toBeCloseTo(2 + 0.5 * 52, 6);
    const seasonal = new HoltWinters(0.2, 0.01, 0.5, 4);
    const pattern = [2, 8, 4, 6];
    for (let t = 0; t < 400; t++) seasonal.observe(pattern[t % 4]);
    for (let h = 1; h <= 4; h++) expect(seasonal.forecast(h)).toBeCloseTo(pattern[(400 + h - 1) % 4], 1);
  });

  it('predictive sizes a constant load by M/M/c with its headroom', () => {
    const e = make('Autoscaling-v0', { load: { type: 'constant', rate: 6 }, initialReplicas: 12 });
    const agent = makeAgent('predictive', e);
    const { info } = e.reset({ seed: 0 });
    agent.onEpisodeStart?.();
    const v = info.autoscaling as AutoscalingState;
    const expected = smallestReplicasForSlo(6 * 1.1 + v.queueLength / 15, 1, 4, 0.95, 1, 20);
    expect(expected).toBeLessThan(v.replicas);
    expect(v.replicas + agent.act(new Float32Array(0), { info }) - 5).toBe(expected);
  });

  it('on the Azure trace, hpa and predictive cut SLO violations far below the initial static size', () => {
    const load = { load: { type: 'trace', path: 'azure-llm-conv' } };
    const run = (name: string) => {
      const e = make('Autoscaling-v0', load);
      return evaluate(e, makeAgent(name, e), { episodes: 3, seed: 0 }).metrics;
    };
    const fixed = run('static');
    const hpa = run('hpa');
    const predictive = run('predictive');
    expect(hpa.sloViolationRate.mean).toBeLessThan(fixed.sloViolationRate.mean / 3);
    expect(predictive.sloViolationRate.mean).toBeLessThan(fixed.sloViolationRate.mean / 3);
    expect(predictive.cost.mean).toBeGreaterThan(fixed.cost.mean);
  });
});
