import { describe, expect, it } from 'vitest';
import {
  actionForServices,
  AutoscalingEnv,
  LatencyMixture,
  MicroserviceAutoscalingEnv,
  mmcSteadyState,
  replicasForChainSlo,
  smallestReplicasForSlo,
  sumOfResponseTimes,
  type AutoscalingState,
  type MicroserviceAutoscalingState,
} from '../../../envs/autoscaling/index.js';
import { checkEnv } from '../../../envs/core/checker/index.js';
import { make, OptionError } from '../../../envs/index.js';

/** The q-quantile of a decreasing survival function, by bisection (test-side reference). */
function solve(survival: (t: number) => number, q: number): number {
  let lo = 0;
  let hi = 1;
  while (survival(hi) > 1 - q) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (survival(mid) > 1 - q) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Survival of a sum of independent exponentials with distinct rates (hypoexponential). */
const hypoexponential = (rates: number[]) => (t: number) =>
  rates.reduce((s, r, i) => s + rates.reduce((p, q, j) => (j === i ? p : (p * q) / (q - r)), 1) * Math.exp(-r * t), 0);

const chain = (rate: number, replicas: number[], mus: number[], extra: Record<string, unknown> = {}) =>
  new MicroserviceAutoscalingEnv({
    load: { type: 'constant', rate },
    services: mus.map((serviceRate, i) => ({
      serviceRate,
      minReplicas: 1,
      maxReplicas: 10,
      initialReplicas: replicas[i],
      queueCapacity: 100_000,
    })),
    action: 'target',
    ...extra,
  });

/** Plays a whole episode holding every service's count; returns the last step. */
function hold(env: MicroserviceAutoscalingEnv, seed = 0) {
  const view = env.reset({ seed }).info.microservices as MicroserviceAutoscalingState;
  const action = actionForServices(
    view,
    view.services.map((s) => s.replicas),
  );
  for (;;) {
    const s = env.step(action);
    if (s.truncated) return s;
  }
}

describe('MicroserviceAutoscaling-v0 with one service is Autoscaling-v0', () => {
  for (const latencyModel of ['mmc', 'des'] as const) {
    it(`${latencyModel}: the same observations, rewards, infos and metrics for the same seed and options`, () => {
      const service = { serviceRate: 0.5, minReplicas: 2, maxReplicas: 30, startupDelay: 20, queueCapacity: 40 };
      const common = { load: { type: 'trace', path: 'azure-llm-conv' }, latencyModel, episodeLength: 900, sloLatency: 5, maxStep: 3 };
      const single = new AutoscalingEnv({ ...service, ...common });
      const chained = new MicroserviceAutoscalingEnv({ services: [service], ...common });
      expect(chained.observationSpace.shape).toEqual(single.observationSpace.shape);
      for (const seed of [1, 2]) {
        const a = single.reset({ seed });
        const b = chained.reset({ seed });
        expect(Array.from(b.observation)).toEqual(Array.from(a.observation));
        // A scripted policy that scales up and down hard, so backlogs, drops and start-ups all occur.
        for (let k = 0; ; k++) {
          const delta = [0, 6, 6, 0, 0, 0, 0, 3][k % 8];
          const x = single.step(delta);
          const y = chained.step([delta]);
          expect(Array.from(y.observation)).toEqual(Array.from(x.observation));
          expect(y.reward).toBe(x.reward);
          expect([y.info.cost, y.info.violation, y.info.latency, y.info.meanLatency, y.info.arrivals, y.info.dropped]).toEqual([
            x.info.cost,
            x.info.violation,
            x.info.latency,
            x.info.meanLatency,
            x.info.arrivals,
            x.info.dropped,
          ]);
          expect(Array.from(y.info.actionMask!)).toEqual(Array.from(x.info.actionMask!));
          const v = (y.info.microservices as MicroserviceAutoscalingState).services[0];
          const { latencyPercentile: _, ...rest } = x.info.autoscaling as AutoscalingState;
          expect(v).toMatchObject(rest);
          if (x.truncated) {
            expect(y.truncated).toBe(true);
            for (const [key, value] of Object.entries(x.info.metrics!)) expect(y.info.metrics![key]).toBe(value);
            expect(y.info.metrics!.meanReplicas_0).toBe(x.info.metrics!.meanReplicas);
            break;
          }
        }
      }
    });
  }

  it('chain sizing with one service is smallestReplicasForSlo', () => {
    for (const lambda of [0, 0.3, 2, 7.5, 19]) {
      for (const slo of [1.5, 4, 10]) {
        expect(replicasForChainSlo([{ lambda, mu: 1, minReplicas: 2, maxReplicas: 20 }], slo, 0.95)).toEqual([
          smallestReplicasForSlo(lambda, 1, slo, 0.95, 2, 20),
        ]);
      }
    }
  });
});

describe('MicroserviceAutoscaling-v0 against the tandem M/M/c network', () => {
  it('analytic: constant load, static sizes: end-to-end mean = the sum of the M/M/c means exactly', () => {
    const replicas = [2, 4, 3];
    const mus = [3, 1, 2];
    const last = hold(chain(2.5, replicas, mus, { episodeLength: 600 }));
    const m = last.info.metrics!;
    const sum = replicas.reduce((s, c, i) => s + mmcSteadyState(c, 2.5, mus[i]).meanResponse, 0);
    expect(m.meanLatency).toBeCloseTo(sum, 12);
    expect(last.info.meanLatency).toBeCloseTo(sum, 12);
    expect(m.meanReplicas).toBe(9);
    expect([m.meanReplicas_0, m.meanReplicas_1, m.meanReplicas_2]).toEqual(replicas);
    expect(m.meanUtilization_1).toBeCloseTo(2.5 / 4, 12);
    expect(m.dropRate).toBe(0);
    expect(m.scaleEvents).toBe(0);
    expect(m.cost).toBeCloseTo((9 * 600) / 3600, 12);
    // The percentile of the sum lies below the sum of the services' percentiles and above the largest one.
    expect(last.info.latency as number).toBeGreaterThan(m.meanLatency);
  });

  it('analytic: one replica per service gives the closed-form end-to-end percentile (Erlang, hypoexponential)', () => {
    // M/M/1 response time is Exp(μ − λ); sums of independent exponentials (Reich 1957).
    const erlang2 = (r: number) => (t: number) => Math.exp(-r * t) * (1 + r * t);
    const near = (x: unknown, exact: number) => expect(Math.abs((x as number) / exact - 1)).toBeLessThan(3e-4);
    const same = hold(chain(1, [1, 1], [2, 2], { episodeLength: 60 }));
    near(same.info.latency, solve(erlang2(1), 0.95));
    near(same.info.metrics!.p95Latency, solve(erlang2(1), 0.95));
    const three = hold(chain(1, [1, 1, 1], [2, 1.5, 4], { episodeLength: 60, sloPercentile: 0.99 }));
    near(three.info.latency, solve(hypoexponential([1, 0.5, 3]), 0.99));
    near(three.info.metrics!.p95Latency, solve(hypoexponential([1, 0.5, 3]), 0.95));
  });

  it('the grid convolution of M/M/1 response times matches the closed-form hypoexponential percentiles', () => {
    const mm1 = (lambda: number, mu: number) => {
      const m = new LatencyMixture();
      const ss = mmcSteadyState(1, lambda, mu);
      m.add({ kind: 'mmc', weight: 1, pWait: ss.pWait, theta: ss.theta, mu });
      return m;
    };
    const sum = sumOfResponseTimes([mm1(1, 1.2), mm1(1, 3), mm1(1, 2)], 1, 1e-7)!;
    for (const q of [0.5, 0.9, 0.95, 0.99])
      expect(Math.abs(sum.percentile(q) / solve(hypoexponential([0.2, 2, 1]), q) - 1)).toBeLessThan(3e-4);
    // A finer grid is closer.
    const fine = sumOfResponseTimes([mm1(1, 1.2), mm1(1, 3), mm1(1, 2)], 1, 1e-7, 1024)!;
    expect(Math.abs(fine.percentile(0.95) / solve(hypoexponential([0.2, 2, 1]), 0.95) - 1)).toBeLessThan(5e-5);
    expect(sum.mean()).toBeCloseTo(5 + 0.5 + 1, 12);
    expect(sumOfResponseTimes([mm1(1, 2)], 0, 1e-7)).toBeNull();
  });

  it('DES: the same chain within sampling error; one replica per service matches the closed-form percentile', () => {
    const replicas = [2, 4, 3];
    const mus = [3, 1, 2];
    const m = hold(chain(2.5, replicas, mus, { latencyModel: 'des', episodeLength: 40_000 }), 3).info.metrics!;
    const sum = replicas.reduce((s, c, i) => s + mmcSteadyState(c, 2.5, mus[i]).meanResponse, 0);
    // 100 000 requests: the standard error of the mean is near 0.01 s.
    expect(Math.abs(m.meanLatency - sum)).toBeLessThan(0.05);
    expect(Math.abs(m.meanUtilization_1 - 2.5 / 4)).toBeLessThan(0.02);
    // Independent stage times are an approximation for c > 1; here it is within 1 % (measured 0.3 %).
    const analytic = hold(chain(2.5, replicas, mus, { episodeLength: 60 })).info.metrics!;
    expect(Math.abs(m.p95Latency / analytic.p95Latency - 1)).toBeLessThan(0.01);
    const single = hold(chain(1, [1, 1, 1], [2, 1.5, 4], { latencyModel: 'des', episodeLength: 40_000 }), 4).info.metrics!;
    expect(Math.abs(single.meanLatency - (1 + 2 + 1 / 3))).toBeLessThan(0.1);
    expect(Math.abs(single.p95Latency / solve(hypoexponential([1, 0.5, 3]), 0.95) - 1)).toBeLessThan(0.03);
  });

  it('an upstream bottleneck thins the flow downstream (analytic and DES)', () => {
    // λ = 4 into a 2-replica service of μ = 1: a backlog, drops at its queue; downstream sees ≤ 2 requests/s.
    for (const latencyModel of ['mmc', 'des']) {
      const env = new MicroserviceAutoscalingEnv({
        load: { type: 'constant', rate: 4 },
        services: [
          { serviceRate: 1, initialReplicas: 2, queueCapacity: 30 },
          { serviceRate: 1, initialReplicas: 5 },
        ],
        latencyModel,
        action: 'target',
        episodeLength: 150,
      });
      const view = env.reset({ seed: 0 }).info.microservices as MicroserviceAutoscalingState;
      const s = env.step(actionForServices(view, [2, 5]));
      const [front, back] = s.info.services as { arrivals: number; dropped: number; utilization: number }[];
      expect(front.dropped).toBeGreaterThan(15);
      // The front end passes on its capacity, 2 requests/s (exactly in the fluid model).
      if (latencyModel === 'mmc') expect([back.arrivals, back.utilization]).toEqual([expect.closeTo(30, 9), expect.closeTo(0.4, 9)]);
      else expect(back.arrivals).toBeLessThan(50);
      expect(back.dropped).toBe(0);
      expect(front.utilization).toBeGreaterThan(0.95);
      expect(back.utilization).toBeLessThan(0.7);
      expect(s.info.violation).toBe(1);
      expect(s.info.dropped).toBe(front.dropped);
    }
  });
});

describe('MicroserviceAutoscaling-v0 actions, masks and observation', () => {
  const services = [
    { serviceRate: 2, minReplicas: 2, maxReplicas: 6, initialReplicas: 3 },
    { serviceRate: 1, minReplicas: 1, maxReplicas: 4, initialReplicas: 4 },
  ];

  it('delta: MultiDiscrete([2·maxStep+1] × n), per-service masks concatenated, clamping per service', () => {
    const env = new MicroserviceAutoscalingEnv({ load: { type: 'constant', rate: 1 }, services, maxStep: 2 });
    expect(Array.from(env.actionSpace.nvec)).toEqual([5, 5]);
    const r = env.reset({ seed: 0 });
    expect(Array.from(r.info.actionMask!)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(Array.from(env.actionMasks())).toEqual(Array.from(r.info.actionMask!));
    // −2 from 3 is below 2, +2 from 4 above 4: both clamped.
    const s = env.step(Int32Array.from([0, 4]));
    const view = s.info.microservices as MicroserviceAutoscalingState;
    expect(view.services.map((v) => v.replicas)).toEqual([2, 4]);
    expect((s.info.services as { replicas: number }[]).map((v) => v.replicas)).toEqual([2, 4]);
    expect(s.info.cost).toBeCloseTo((6 * 15) / 3600, 12);
    expect(Array.from(actionForServices(view, [10, 1]))).toEqual([4, 0]);
    const next = env.step([3, 1]);
    expect((next.info.microservices as MicroserviceAutoscalingState).services.map((v) => v.replicas)).toEqual([3, 3]);
    expect(() => env.step([5, 0])).toThrow(
      /not in the action space; accepted: 2 integers, entry i in \[0, nvec\[i\] − 1\], nvec = \[5, 5\]/,
    );
    expect(() => env.step([1])).toThrow(/not in the action space/);
    expect(() => env.step(3 as unknown as number[])).toThrow(/not in the action space/);
  });

  it("target: MultiDiscrete over each service's replica counts, all entries valid", () => {
    const env = new MicroserviceAutoscalingEnv({ load: { type: 'constant', rate: 1 }, services, action: 'target' });
    expect(Array.from(env.actionSpace.nvec)).toEqual([5, 4]);
    const r = env.reset({ seed: 0 });
    expect(Array.from(r.info.actionMask!)).toEqual(new Array(9).fill(1));
    const s = env.step([4, 0]);
    const view = s.info.microservices as MicroserviceAutoscalingState;
    expect(view.services.map((v) => v.replicas)).toEqual([6, 1]);
    expect(view.services.map((v) => v.action)).toEqual([{ type: 'target' }, { type: 'target' }]);
    expect(Array.from(actionForServices(view, [2, 4]))).toEqual([0, 3]);
  });

  it('the observation follows the documented layout', () => {
    const env = new MicroserviceAutoscalingEnv({ load: { type: 'constant', rate: 2 }, services, historyWindow: 3 });
    const { observation: o, info } = env.reset({ seed: 0 });
    expect(o.length).toBe(3 + 8 + 3);
    expect(env.observationSpace.contains(o)).toBe(true);
    // Bottleneck: min(2·6, 1·4) = 4 requests/s.
    for (let i = 0; i < 3; i++) expect(o[i]).toBeCloseTo(2 / 4, 6);
    expect(o[3]).toBeCloseTo(3 / 6, 6);
    expect(o[4]).toBe(0);
    expect(o[5]).toBeCloseTo(2 / (3 * 2), 6);
    expect(o[7]).toBeCloseTo(4 / 4, 6);
    expect(o[9]).toBeCloseTo(2 / 4, 6);
    const view = info.microservices as MicroserviceAutoscalingState;
    expect(o[11]).toBeCloseTo(view.latencyPercentile / 6, 5);
    expect(o[12]).toBeCloseTo(Math.sin((2 * Math.PI * 45) / 86400), 6);
    expect(o[13]).toBeCloseTo(Math.cos((2 * Math.PI * 45) / 86400), 6);
  });

  it("initialReplicas null sizes the chain so that the sum of the services' percentiles meets the SLO", () => {
    const env = new MicroserviceAutoscalingEnv({ load: { type: 'constant', rate: 6 } });
    const view = env.reset({ seed: 0 }).info.microservices as MicroserviceAutoscalingState;
    const sized = view.services.map((v) => v.replicas);
    expect(sized).toEqual(
      replicasForChainSlo(
        [4, 1, 2].map((mu) => ({ lambda: 6, mu, minReplicas: 1, maxReplicas: 20 })),
        6,
        0.95,
      ),
    );
    expect(view.latencyPercentile).toBeLessThanOrEqual(6);
    expect(sized[1]).toBeGreaterThan(sized[0]);
  });
});

describe('MicroserviceAutoscaling-v0 under random actions', () => {
  it('keeps observations finite and inside the space, through overload and near-saturation (analytic)', () => {
    const env = make('MicroserviceAutoscaling-v0', { load: { type: 'trace', path: 'azure-llm-conv' } });
    env.reset({ seed: 0 });
    env.actionSpace.seed(0);
    let overloaded = 0;
    for (let i = 0; i < 600; i++) {
      const s = env.step(env.actionSpace.sample());
      expect(env.observationSpace.contains(s.observation)).toBe(true);
      expect(Number.isFinite(s.reward)).toBe(true);
      if ((s.info.services as { utilization: number }[]).some((x) => x.utilization > 0.98)) overloaded++;
      if (s.truncated) env.reset();
    }
    expect(overloaded).toBeGreaterThan(10);
  });
});

describe('MicroserviceAutoscaling-v0 bad input names the option', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ services: [] }, /option 'services' must be a non-empty array, got \[\]; accepted: a non-empty array of \{serviceRate, minReplicas/],
    [{ services: {} }, /option 'services' must be a non-empty array/],
    [
      { services: [{}, { minReplicas: 5, maxReplicas: 3 }] },
      /option 'services\[1\]\.minReplicas' \(5\) is greater than services\[1\]\.maxReplicas \(3\)/,
    ],
    [{ services: [{ serviceRate: -1 }] }, /option 'services\[0\]\.serviceRate' is -1, out of range/],
    [{ services: [{ replicas: 2 }] }, /option 'services\[0\]\.replicas' is not an option; accepted: one of serviceRate, minReplicas/],
    [
      { services: [{}, {}, { initialReplicas: 40 }] },
      /option 'services\[2\]\.initialReplicas' is 40, outside \[minReplicas, maxReplicas\]/,
    ],
    [{ services: [3] }, /option 'services\[0\]' must be an object, got 3/],
    [{ sloPercentile: 1 }, /option 'sloPercentile' is 1/],
    [{ sloLatency: 0 }, /option 'sloLatency'/],
    [{ serviceRate: 2 }, /option 'serviceRate' is not an option/],
    [{ load: { type: 'poisson' } }, /MicroserviceAutoscaling-v0: option 'load.type' is "poisson"/],
    [{ load: { type: 'constant', rate: -1 } }, /MicroserviceAutoscaling-v0 load: option 'rate' is -1/],
    [
      { load: { type: 'trace', path: 'azure-llm-conv' }, episodeLength: 7200 },
      /MicroserviceAutoscaling-v0: option 'episodeLength' needs 7320 s of load/,
    ],
  ];
  for (const [options, message] of bad) {
    it(JSON.stringify(options), () => {
      expect(() => make('MicroserviceAutoscaling-v0', options)).toThrow(OptionError);
      expect(() => make('MicroserviceAutoscaling-v0', options)).toThrow(message);
    });
  }
});

describe('MicroserviceAutoscaling-v0 passes the env checker', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['analytic, diurnal load, delta actions', {}],
    [
      'DES, Azure trace, target actions',
      { latencyModel: 'des', load: { type: 'trace', path: 'azure-llm-conv' }, action: 'target', episodeLength: 600 },
    ],
  ];
  for (const [name, options] of cases) {
    it(name, () => {
      const report = checkEnv(make('MicroserviceAutoscaling-v0', options));
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.passed).toBe(true);
    });
  }
});
