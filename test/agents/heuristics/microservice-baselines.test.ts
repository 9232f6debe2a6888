import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../agents/core/evaluation.js';
import { makeAgent } from '../../../agents/index.js';
import { replicasForChainSlo, type MicroserviceAutoscalingState } from '../../../envs/autoscaling/index.js';
import { make } from '../../../envs/index.js';

const trace = { load: { type: 'trace', path: 'azure-llm-conv' }, episodeLength: 900 };

describe('autoscaling baselines on MicroserviceAutoscaling-v0', () => {
  it("on a one-service chain every baseline gives Autoscaling-v0's metrics", () => {
    const service = { serviceRate: 0.5, minReplicas: 1, maxReplicas: 30, startupDelay: 20 };
    for (const name of ['static', 'hpa', 'threshold', 'predictive']) {
      const single = make('Autoscaling-v0', { ...service, ...trace, sloLatency: 5 });
      const chained = make('MicroserviceAutoscaling-v0', { services: [service], ...trace, sloLatency: 5 });
      const a = evaluate(single, makeAgent(name, single), { episodes: 2, seed: 1 }).metrics;
      const b = evaluate(chained, makeAgent(name, chained), { episodes: 2, seed: 1 }).metrics;
      for (const [key, value] of Object.entries(a)) expect(b[key].values, `${name}: ${key}`).toEqual(value.values);
    }
  });

  it('static holds one count per service; bad counts name the option', () => {
    const env = make('MicroserviceAutoscaling-v0', { load: { type: 'constant', rate: 3 } });
    const fixed = evaluate(env, makeAgent('static', env, { replicas: [2, 6, null] }), { episodes: 1, seed: 0 }).metrics;
    expect([fixed.meanReplicas_0.mean, fixed.meanReplicas_1.mean]).toEqual([2, 6]);
    expect(fixed.scaleEvents.mean).toBeLessThanOrEqual(2);
    const all = evaluate(env, makeAgent('static', env, { replicas: 5 }), { episodes: 1, seed: 0 }).metrics;
    expect(all.meanReplicas.mean).toBe(15);
    expect(() => makeAgent('static', env, { replicas: [2, 3] })).toThrow(/static: option 'replicas' has 2 entries for 3 services/);
    expect(() => makeAgent('static', env, { replicas: [2, 99, 1] })).toThrow(
      /option 'replicas\[1\]' is 99, above services\[1\]\.maxReplicas \(20\)/,
    );
    expect(() => makeAgent('static', env, { replicas: [2, 0, 1] })).toThrow(
      /option 'replicas' must be null, an integer >= 1 or an array of them/,
    );
  });

  it('hpa runs one controller per service, each on its own utilization', () => {
    // λ = 3: the back end (μ = 1, 2 replicas) is saturated, the front end (μ = 4, 10 replicas) nearly idle.
    const env = make('MicroserviceAutoscaling-v0', {
      load: { type: 'constant', rate: 3 },
      services: [
        { serviceRate: 4, initialReplicas: 10 },
        { serviceRate: 1, initialReplicas: 2 },
        { serviceRate: 2, initialReplicas: 3 },
      ],
      action: 'target',
    });
    const agent = makeAgent('hpa', env);
    const { info } = env.reset({ seed: 0 });
    agent.onEpisodeStart?.();
    const view = info.microservices as MicroserviceAutoscalingState;
    const action = agent.act(new Float32Array(0), { info }) as Int32Array;
    const replicas = view.services.map((s, i) => s.minReplicas + action[i]);
    // Kubernetes: ceil(replicas × utilization% / 80): front end 10 × 7 % → 1, back end 2 × 100 % → 3, store 3 × 50 % → 2.
    expect(replicas).toEqual([1, 3, 2]);
    expect(view.services[1].utilization).toBeCloseTo(1, 9);
  });

  it('predictive sizes the services together by the chain rule', () => {
    const env = make('MicroserviceAutoscaling-v0', {
      load: { type: 'constant', rate: 6 },
      services: [
        { serviceRate: 4, initialReplicas: 10 },
        { serviceRate: 1, initialReplicas: 20 },
        { serviceRate: 2, initialReplicas: 10 },
      ],
    });
    const agent = makeAgent('predictive', env);
    const { info } = env.reset({ seed: 0 });
    agent.onEpisodeStart?.();
    const view = info.microservices as MicroserviceAutoscalingState;
    const action = agent.act(new Float32Array(0), { info }) as Int32Array;
    const expected = replicasForChainSlo(
      view.services.map((s) => ({ lambda: 6 * 1.1 + s.queueLength / 15, mu: s.serviceRate, minReplicas: 1, maxReplicas: 20 })),
      6,
      0.95,
    );
    // Down by at most maxStep (5) per service.
    expect(view.services.map((s, i) => s.replicas + action[i] - 5)).toEqual(
      expected.map((c, i) => Math.max(c, view.services[i].replicas - 5)),
    );
    expect(expected[1]).toBeGreaterThan(expected[2]);
  });

  it('on the Azure trace, hpa and predictive cut SLO violations far below the initial static sizes', () => {
    const run = (name: string) => {
      const e = make('MicroserviceAutoscaling-v0', { load: trace.load });
      return evaluate(e, makeAgent(name, e), { episodes: 3, seed: 0 }).metrics;
    };
    const fixed = run('static');
    const hpa = run('hpa');
    const predictive = run('predictive');
    expect(hpa.sloViolationRate.mean).toBeLessThan(fixed.sloViolationRate.mean / 3);
    expect(predictive.sloViolationRate.mean).toBeLessThan(fixed.sloViolationRate.mean / 3);
    expect(predictive.cost.mean).toBeGreaterThan(fixed.cost.mean);
  });

  it('a wrong env is refused with the reason', () => {
    expect(() => makeAgent('hpa', make('CartPole-v1'))).toThrow(/acts only on Autoscaling-v0 and MicroserviceAutoscaling-v0/);
  });
});
