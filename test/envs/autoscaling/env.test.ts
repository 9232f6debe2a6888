import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actionForReplicas,
  AutoscalingEnv,
  mmcResponsePercentile,
  mmcSteadyState,
  type AutoscalingState,
} from '../../../envs/autoscaling/index.js';
import { InputFileError, make, OptionError } from '../../../envs/index.js';

const constant = (rate: number, replicas: number, extra: Record<string, unknown> = {}) =>
  new AutoscalingEnv({
    load: { type: 'constant', rate },
    serviceRate: 1,
    minReplicas: 1,
    maxReplicas: 10,
    initialReplicas: replicas,
    action: 'target',
    ...extra,
  });

/** Plays a whole episode holding the replica count; returns the last step. */
function hold(env: AutoscalingEnv, seed = 0) {
  const r = env.reset({ seed });
  const view = r.info.autoscaling as AutoscalingState;
  for (;;) {
    const s = env.step(actionForReplicas(view, view.replicas));
    if (s.truncated) return s;
  }
}

describe('Autoscaling-v0 against M/M/c', () => {
  it('analytic model: constant load with a static size gives the M/M/c mean and p95 exactly', () => {
    const last = hold(constant(2, 3, { episodeLength: 600 }));
    const m = last.info.metrics!;
    expect(m.meanLatency).toBeCloseTo(1 + 4 / 9, 12);
    expect(m.p95Latency).toBeCloseTo(mmcResponsePercentile(3, 2, 1, 0.95), 9);
    expect(last.info.latency).toBeCloseTo(mmcResponsePercentile(3, 2, 1, 0.95), 9);
    expect(m.meanReplicas).toBe(3);
    expect(m.cost).toBeCloseTo((3 * 600) / 3600, 12);
    expect(m.replicaHours).toBeCloseTo(0.5, 12);
    expect(m.dropRate).toBe(0);
    expect(m.scaleEvents).toBe(0);
    expect(m.meanUtilization).toBeCloseTo(2 / 3, 12);
    expect(last.info.autoscaling).toMatchObject({ queueLength: mmcSteadyState(3, 2, 1).meanQueue });
  });

  it('DES: the same case agrees within sampling error (seeded)', () => {
    const last = hold(constant(2, 3, { latencyModel: 'des', episodeLength: 100_000, queueCapacity: 100_000 }), 7);
    const m = last.info.metrics!;
    // One run of 100 000 s has a standard error near 0.011 s (measured over seeds).
    expect(Math.abs(m.meanLatency - (1 + 4 / 9))).toBeLessThan(0.05);
    expect(Math.abs(m.p95Latency - mmcResponsePercentile(3, 2, 1, 0.95))).toBeLessThan(0.2);
    expect(Math.abs(m.meanUtilization - 2 / 3)).toBeLessThan(0.02);
    expect(m.dropRate).toBe(0);
  });

  it('DES is reproducible from the seed and differs across seeds', () => {
    const run = (seed: number) => hold(constant(2, 3, { latencyModel: 'des', episodeLength: 300 }), seed).info.metrics!.meanLatency;
    expect(run(3)).toBe(run(3));
    expect(run(3)).not.toBe(run(4));
  });

  it('overload carries a fluid backlog between intervals and drops beyond the queue', () => {
    // λ = 5, cμ = 2: the backlog grows by 3 · 15 = 45 per interval until queueCapacity (100).
    const env = constant(5, 2, { queueCapacity: 100, episodeLength: 60 });
    const r = env.reset({ seed: 0 });
    const view = r.info.autoscaling as AutoscalingState;
    // The warm-up ran 8 intervals at the same overload: the queue is full already.
    expect(view.queueLength).toBeCloseTo(100, 9);
    const s = env.step(actionForReplicas(view, 2));
    expect(s.info.dropped).toBeCloseTo(45, 9);
    expect(s.info.violation).toBe(1);
    expect(s.reward).toBeCloseTo(-((2 * 15) / 3600 + 0.1), 12);
    // Scale to 10 replicas; they start after 30 s.
    const s2 = env.step(actionForReplicas(s.info.autoscaling as AutoscalingState, 10));
    expect((s2.info.autoscaling as AutoscalingState).startingReplicas).toBe(8);
    expect(s2.info.dropped).toBeCloseTo(45, 9);
    const s3 = env.step(actionForReplicas(s2.info.autoscaling as AutoscalingState, 10));
    // Ready at t = 45 s, the end of this interval: still 2 ready during it.
    expect(s3.info.dropped).toBeCloseTo(45, 9);
    const s4 = env.step(actionForReplicas(s3.info.autoscaling as AutoscalingState, 10));
    expect((s4.info.autoscaling as AutoscalingState).readyReplicas).toBe(10);
    expect(s4.info.dropped).toBe(0);
    // cμ − λ = 5 drains 75 of the 100 queued requests in 15 s; the rest carries over.
    expect((s4.info.autoscaling as AutoscalingState).queueLength).toBeCloseTo(25, 9);
    expect(s4.info.latency).toBeGreaterThan(4);
    expect(s4.truncated).toBe(true);
    expect(s4.info.metrics!.scaleEvents).toBe(1);
    expect(s4.info.metrics!.dropRate).toBeCloseTo(135 / 300, 9);
  });

  it('DES: a full queue drops arrivals; replicas removed while busy finish their request', () => {
    const env = constant(5, 2, { latencyModel: 'des', queueCapacity: 20, episodeLength: 150 });
    let view = env.reset({ seed: 1 }).info.autoscaling as AutoscalingState;
    expect(view.queueLength).toBeLessThanOrEqual(20);
    let s = env.step(actionForReplicas(view, 2));
    expect(s.info.dropped as number).toBeGreaterThan(20);
    expect(s.info.violation).toBe(1);
    // 10 busy replicas cut to 1: the other 9 finish their requests and stop; the queue builds again.
    const big = constant(8, 10, { latencyModel: 'des', queueCapacity: 1000, episodeLength: 150, maxReplicas: 10 });
    view = big.reset({ seed: 2 }).info.autoscaling as AutoscalingState;
    s = big.step(actionForReplicas(view, 1));
    view = s.info.autoscaling as AutoscalingState;
    expect(view.readyReplicas).toBe(1);
    expect(view.utilization).toBeGreaterThan(0.9);
    expect(view.utilization).toBeLessThanOrEqual(1);
    // Served: at most the 10 in service plus what one replica does in 15 s (about 15).
    expect(s.info.arrivals as number).toBeGreaterThan(80);
    expect(view.queueLength).toBeGreaterThan(60);
  });

  it('starting replicas cost from the request, serve after startupDelay, and go first on scale-down', () => {
    const env = constant(1, 2, { startupDelay: 20, episodeLength: 150 });
    const r = env.reset({ seed: 0 });
    let view = r.info.autoscaling as AutoscalingState;
    let s = env.step(actionForReplicas(view, 5));
    view = s.info.autoscaling as AutoscalingState;
    expect([view.readyReplicas, view.startingReplicas, view.replicas]).toEqual([2, 3, 5]);
    expect(s.info.cost).toBeCloseTo((5 * 15) / 3600, 12);
    // Half of the second interval with 5 ready: utilization = (1/1) / (2·5 + 3·10)/15 replicas.
    s = env.step(actionForReplicas(view, 5));
    view = s.info.autoscaling as AutoscalingState;
    expect([view.readyReplicas, view.startingReplicas]).toEqual([5, 0]);
    expect(view.utilization).toBeCloseTo(15 / (2 * 5 + 5 * 10), 12);
    // With a 40 s start-up, scale-down removes the starting replicas before ready ones.
    const slow = constant(1, 5, { startupDelay: 40, episodeLength: 150 });
    view = slow.reset({ seed: 0 }).info.autoscaling as AutoscalingState;
    s = slow.step(actionForReplicas(view, 8));
    view = s.info.autoscaling as AutoscalingState;
    expect([view.readyReplicas, view.startingReplicas]).toEqual([5, 3]);
    s = slow.step(actionForReplicas(view, 6));
    view = s.info.autoscaling as AutoscalingState;
    expect([view.readyReplicas, view.startingReplicas]).toEqual([5, 1]);
    s = slow.step(actionForReplicas(view, 3));
    view = s.info.autoscaling as AutoscalingState;
    expect([view.readyReplicas, view.startingReplicas]).toEqual([3, 0]);
  });
});

describe('Autoscaling-v0 actions and observation', () => {
  it('delta encoding: Discrete(2·maxStep+1), a mask of the in-bounds moves, clamping', () => {
    const env = new AutoscalingEnv({ load: { type: 'constant', rate: 1 }, minReplicas: 2, maxReplicas: 6, initialReplicas: 3, maxStep: 2 });
    expect(env.actionSpace.n).toBe(5);
    const r = env.reset({ seed: 0 });
    expect(Array.from(r.info.actionMask!)).toEqual([0, 1, 1, 1, 1]);
    const s = env.step(0); // −2 from 3 is below minReplicas 2: clamped
    expect((s.info.autoscaling as AutoscalingState).replicas).toBe(2);
    expect(actionForReplicas(s.info.autoscaling as AutoscalingState, 10)).toBe(4);
    expect(() => env.step(5)).toThrow(/not in the action space; accepted: an integer in \[0, 4\]/);
    expect(() => env.step(1.5)).toThrow(/not in the action space/);
  });

  it('target encoding: Discrete over replica counts', () => {
    const env = new AutoscalingEnv({
      load: { type: 'constant', rate: 1 },
      minReplicas: 2,
      maxReplicas: 6,
      initialReplicas: 3,
      action: 'target',
    });
    expect(env.actionSpace.n).toBe(5);
    env.reset({ seed: 0 });
    const s = env.step(4);
    const view = s.info.autoscaling as AutoscalingState;
    expect(view.replicas).toBe(6);
    expect(view.action).toEqual({ type: 'target' });
    expect(actionForReplicas(view, 1)).toBe(0);
  });

  it('the observation follows the documented layout', () => {
    const env = constant(2, 3, { historyWindow: 4, maxReplicas: 10 });
    const { observation: o } = env.reset({ seed: 0 });
    expect(o.length).toBe(11);
    expect(env.observationSpace.contains(o)).toBe(true);
    for (let i = 0; i < 4; i++) expect(o[i]).toBeCloseTo(2 / 10, 6);
    expect(o[4]).toBeCloseTo(0.3, 6);
    expect(o[5]).toBe(0);
    expect(o[6]).toBeCloseTo(2 / 3, 6);
    expect(o[8]).toBeCloseTo(mmcResponsePercentile(3, 2, 1, 0.95) / 4, 5);
    // Constant load starts at midnight; the first step is after 4 warm-up intervals of 15 s.
    expect(o[9]).toBeCloseTo(Math.sin((2 * Math.PI * 60) / 86400), 6);
    expect(o[10]).toBeCloseTo(Math.cos((2 * Math.PI * 60) / 86400), 6);
  });

  it('initialReplicas null sizes the start by M/M/c to the load before the episode', () => {
    const env = new AutoscalingEnv({ load: { type: 'constant', rate: 10 }, sloLatency: 4 });
    const view = env.reset({ seed: 0 }).info.autoscaling as AutoscalingState;
    expect(mmcResponsePercentile(view.replicas, 10, 1, 0.95)).toBeLessThanOrEqual(4);
    expect(mmcResponsePercentile(view.replicas - 1, 10, 1, 0.95)).toBeGreaterThan(4);
  });
});

describe('Autoscaling-v0 load sources', () => {
  // The md5 was computed here from the bundled copy (Azure's public dataset publishes no checksum): it
  // guards against a local change of the file, not against a difference from upstream.
  it('bundles the Azure LLM conversation trace unchanged since it was copied (md5 computed locally, not an upstream hash)', () => {
    const bytes = readFileSync(new URL('../../../data/traces/azure-llm-conv.csv', import.meta.url));
    expect(createHash('md5').update(bytes).digest('hex')).toBe('2ec51bd013f310fa72cac08de1331368');
  });

  it('trace: random seeded windows, rates binned from the request timestamps', () => {
    const opts = { load: { type: 'trace', path: 'azure-llm-conv' }, episodeLength: 900 };
    const rates = (seed: number) => (new AutoscalingEnv(opts).reset({ seed }).info.autoscaling as AutoscalingState).rateHistory;
    expect(rates(1)).toEqual(rates(1));
    expect(rates(1)).not.toEqual(rates(2));
    for (const r of rates(1)) {
      expect(Number.isInteger(Math.round(r * 15 * 1e9) / 1e9)).toBe(true); // whole requests per 15 s
      expect(r).toBeGreaterThan(0);
      expect(r).toBeLessThan(20);
    }
  });

  it('trace: timeScale stretches the trace and rateScale multiplies it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-'));
    const file = join(dir, 'ts.csv');
    // 600 requests, one per second.
    writeFileSync(file, 'time\n' + Array.from({ length: 601 }, (_, i) => String(i)).join('\n') + '\n');
    // Stretched to 1200 s; the 40 history intervals (600 s) cover 300 s of trace, 300 ± 1 requests.
    const env = new AutoscalingEnv({
      load: { type: 'trace', path: file, timeScale: 2, rateScale: 3 },
      episodeLength: 600,
      historyWindow: 40,
    });
    const view = env.reset({ seed: 0 }).info.autoscaling as AutoscalingState;
    const requests = (view.rateHistory.reduce((a, b) => a + b, 0) * 15) / 3;
    expect(Math.abs(requests - 300)).toBeLessThanOrEqual(1 + 1e-9);
    expect(() => new AutoscalingEnv({ load: { type: 'trace', path: file }, episodeLength: 600 })).toThrow(OptionError);
  });

  it('trace: a CSV of time,rate rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-'));
    const file = join(dir, 'rates.csv');
    writeFileSync(file, 'time,rate\n0,2\n300,6\n600,2\n');
    // 60 history intervals + 1 step = 915 s of the 900 s trace: refused.
    expect(() => new AutoscalingEnv({ load: { type: 'trace', path: file }, episodeLength: 15, historyWindow: 60 })).toThrow(
      /needs 915 s of load/,
    );
    const ok = new AutoscalingEnv({ load: { type: 'trace', path: file }, episodeLength: 15, historyWindow: 59 });
    const h = (ok.reset({ seed: 0 }).info.autoscaling as AutoscalingState).rateHistory;
    expect(h.every((r) => r >= 2 - 1e-9 && r <= 6 + 1e-9)).toBe(true);
    expect(h.some((r) => Math.abs(r - 6) < 1e-9)).toBe(true);
  });

  it('diurnal: seeded, between trough and peak without noise or bursts', () => {
    const load = { type: 'diurnal', peakRate: 12, peakToTrough: 4, period: 3600, noise: 0, burstsPerHour: 0 };
    const env = new AutoscalingEnv({ load, episodeLength: 3600, historyWindow: 240, action: 'target' });
    const h = (env.reset({ seed: 5 }).info.autoscaling as AutoscalingState).rateHistory;
    expect(Math.max(...h)).toBeLessThanOrEqual(12);
    expect(Math.max(...h)).toBeGreaterThan(11.9);
    expect(Math.min(...h)).toBeGreaterThanOrEqual(3);
    expect(Math.min(...h)).toBeLessThan(3.1);
    const noisy = new AutoscalingEnv({ load: { type: 'diurnal', burstsPerHour: 20 } });
    const a = (noisy.reset({ seed: 9 }).info.autoscaling as AutoscalingState).rateHistory;
    expect((noisy.reset({ seed: 9 }).info.autoscaling as AutoscalingState).rateHistory).toEqual(a);
    expect((noisy.reset({ seed: 10 }).info.autoscaling as AutoscalingState).rateHistory).not.toEqual(a);
  });
});

describe('Autoscaling-v0 bad input names the option', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ minReplicas: 5, maxReplicas: 3 }, /option 'minReplicas' \(5\) is greater than maxReplicas \(3\)/],
    [{ initialReplicas: 30 }, /option 'initialReplicas' is 30, outside \[minReplicas, maxReplicas\]/],
    [{ load: { type: 'constant', rate: -1 } }, /load: option 'rate' is -1, out of range/],
    [{ load: { type: 'diurnal', peakRate: -3 } }, /load: option 'peakRate'/],
    [{ serviceRate: -2 }, /option 'serviceRate'/],
    [{ sloPercentile: 1 }, /option 'sloPercentile' is 1/],
    [{ sloPercentile: 0 }, /option 'sloPercentile' is 0/],
    [{ sloPercentile: 1.5 }, /option 'sloPercentile'/],
    [{ load: { type: 'poisson' } }, /option 'load.type' is "poisson"; accepted: 'constant' \| 'diurnal' \| 'trace'/],
    [{ load: 'trace' }, /option 'load' must be an object/],
    [{ latencyModel: 'mm1' }, /option 'latencyModel'/],
    [{ action: 'absolute' }, /option 'action'/],
    [{ replicas: 3 }, /option 'replicas' is not an option/],
    [
      { load: { type: 'trace', path: 'azure-llm-conv' }, episodeLength: 7200 },
      /option 'episodeLength' needs 7320 s of load .* trace 'azure-llm-conv' lasts 3501\.7 s/,
    ],
  ];
  for (const [options, message] of bad) {
    it(JSON.stringify(options), () => {
      expect(() => make('Autoscaling-v0', options)).toThrow(OptionError);
      expect(() => make('Autoscaling-v0', options)).toThrow(message);
    });
  }

  it('an unreadable, empty or malformed trace names the file (and line)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-'));
    const missing = join(dir, 'missing.csv');
    expect(() => make('Autoscaling-v0', { load: { type: 'trace', path: missing } })).toThrow(InputFileError);
    expect(() => make('Autoscaling-v0', { load: { type: 'trace', path: missing } })).toThrow(
      /missing\.csv: cannot be read \(option load\.path\)/,
    );
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '\n\n');
    expect(() => make('Autoscaling-v0', { load: { type: 'trace', path: empty } })).toThrow(/empty\.csv: is empty/);
    const headerOnly = join(dir, 'header.csv');
    writeFileSync(headerOnly, 'TIMESTAMP,ContextTokens\n');
    expect(() => make('Autoscaling-v0', { load: { type: 'trace', path: headerOnly } })).toThrow(/holds 0 request timestamp/);
    const garbled = join(dir, 'garbled.csv');
    writeFileSync(garbled, 'TIMESTAMP\n2023-11-16 18:15:46.1\nyesterday\n');
    expect(() => make('Autoscaling-v0', { load: { type: 'trace', path: garbled } })).toThrow(
      /garbled\.csv:3 \(field timestamp\): 'yesterday' is not a time/,
    );
    const badRate = join(dir, 'rate.csv');
    writeFileSync(badRate, 'time,rate\n0,1\n60,-4\n');
    expect(() => make('Autoscaling-v0', { load: { type: 'trace', path: badRate } })).toThrow(
      /rate\.csv:3 \(field rate\): '-4' is not a rate/,
    );
  });
});
