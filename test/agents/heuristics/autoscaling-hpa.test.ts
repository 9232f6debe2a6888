import { describe, expect, it } from 'vitest';
import { HpaAutoscaler, replicasForUtilization } from '../../../agents/heuristics/autoscaling/index.js';
import { makeAgent } from '../../../agents/index.js';
import type { AutoscalingState } from '../../../envs/autoscaling/index.js';
import { make } from '../../../envs/index.js';

/** A scripted state view: target encoding over [1, 50], all replicas ready unless said otherwise. */
function view(time: number, replicas: number, utilization: number, starting = 0): AutoscalingState {
  return {
    time,
    controlInterval: 15,
    startupDelay: 30,
    serviceRate: 1,
    minReplicas: 1,
    maxReplicas: 50,
    sloLatency: 1,
    sloPercentile: 0.95,
    readyReplicas: replicas - starting,
    startingReplicas: starting,
    replicas,
    utilization,
    arrivalRate: 0,
    rateHistory: [],
    queueLength: 0,
    latencyPercentile: 0,
    action: { type: 'target' },
  };
}

function hpa(options: Record<string, unknown> = {}) {
  const env = make('Autoscaling-v0', { load: { type: 'constant', rate: 1 } });
  const agent = makeAgent('hpa', env, options) as HpaAutoscaler;
  agent.onEpisodeStart();
  /** The replica count the agent asks for (target encoding: minReplicas 1 + action). */
  return (v: AutoscalingState) => 1 + agent.act(new Float32Array(0), { info: { autoscaling: v } });
}

describe('hpa: replica calculator (replica_calculator.go)', () => {
  const calc = (readyPods: number, unreadyPods: number, utilization: number, targetUtilization = 80) =>
    replicasForUtilization({
      currentReplicas: readyPods + unreadyPods,
      readyPods,
      unreadyPods,
      utilization,
      targetUtilization,
      tolerance: 0.1,
    });

  it('keeps the count within the 0.1 tolerance, both sides, boundary included', () => {
    expect(calc(10, 0, 0.85)).toBe(10); // 85/80 = 1.0625
    expect(calc(10, 0, 0.72)).toBe(10); // 0.9: 1 − 0.9 = 0.09999999999999998 in float64
    // 88/80 = 1.1, and |1 − 1.1| = 0.10000000000000009 in float64 (Go's too): just outside.
    expect(calc(10, 0, 0.88)).toBe(11);
    expect(calc(10, 0, 0.89)).toBe(12); // ceil(1.1125 · 10)
    expect(calc(10, 0, 0.71)).toBe(9); // ceil(0.8875 · 10)
  });

  it('uses the integer utilization percentage as the controller does', () => {
    // 0.8899 of the request is 88 %: ceil(1.1 · 10) = 11, where the exact ratio 1.112 would give 12.
    expect(calc(10, 0, 0.8899)).toBe(11);
  });

  it('leaves not-ready pods out on scale-down and counts them at 0 % on scale-up', () => {
    // Scale-down: only the 4 ready pods count: ceil(20/80 · 4) = 1.
    expect(calc(4, 4, 0.2)).toBe(1);
    // Scale-up: ready at 100 % (ratio 1.25) but with 4 starting pods at 0 % the ratio is 50/80 < 1:
    // a change of direction, so the count stays 8 (the naive ceil(1.25 · 4) = 5 would scale down).
    expect(calc(4, 4, 1.0)).toBe(8);
    // Scale-up with unready pods: ratio over all 8 pods = floor(100 · 4/8)/40 = 1.25 → 10.
    expect(calc(4, 4, 1.0, 40)).toBe(10);
    // Within tolerance once the unready pods are counted: 4 ready at 100 %, 1 starting, target 80: 80/80.
    expect(calc(4, 1, 1.0)).toBe(5);
  });
});

describe('hpa: behaviors on scripted utilization sequences (horizontal.go)', () => {
  it('holds a scale-down for the 300 s stabilization window, then takes the window maximum', () => {
    const act = hpa();
    expect(act(view(0, 10, 0.8))).toBe(10);
    for (let t = 15; t < 300; t += 15) expect(act(view(t, 10, 0.4))).toBe(10);
    // At t = 300 the t = 0 recommendation (10) leaves the window: the highest left is ceil(0.5 · 10) = 5.
    expect(act(view(300, 10, 0.4))).toBe(5);
  });

  it('scales up at once (no scale-up window), by at most max(4 pods, 100 %) per 15 s', () => {
    const act = hpa({ targetUtilization: 20 });
    // 100 % of 2 pods against 20 %: desired 10, limit max(2 + 4, 2 · 2) = 6.
    expect(act(view(0, 2, 1.0))).toBe(6);
    // 15 s later the period holds no event: from 6, limit max(10, 12) = 12 (desired 30).
    expect(act(view(15, 6, 1.0))).toBe(12);
    expect(act(view(30, 12, 1.0))).toBe(24);
    expect(act(view(45, 24, 1.0))).toBe(48);
    expect(act(view(60, 48, 1.0))).toBe(50); // maxReplicas
  });

  it('counts earlier changes within a policy period (periodStartReplicas)', () => {
    const act = hpa({ targetUtilization: 20, scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } });
    expect(act(view(0, 2, 1.0))).toBe(4);
    expect(act(view(15, 4, 1.0))).toBe(4); // 2 added within 60 s: limit 2 + 2
    expect(act(view(45, 4, 1.0))).toBe(4);
    expect(act(view(60, 4, 1.0))).toBe(6); // the t = 0 event is not after now − 60
  });

  it('limits scale-down by its policy and selectPolicy', () => {
    const half = { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }] };
    let act = hpa({ scaleDown: half });
    // desired ceil(10/80 · 10) = 2; limit trunc(10 · 0.5) = 5.
    expect(act(view(0, 10, 0.1))).toBe(5);
    // Two policies: Max picks the bigger change (−50 %), Min the smaller (−1 pod).
    const two = {
      stabilizationWindowSeconds: 0,
      policies: [
        { type: 'Percent', value: 50, periodSeconds: 15 },
        { type: 'Pods', value: 1, periodSeconds: 15 },
      ],
    };
    act = hpa({ scaleDown: two });
    expect(act(view(0, 10, 0.1))).toBe(5);
    act = hpa({ scaleDown: { ...two, selectPolicy: 'Min' } });
    expect(act(view(0, 10, 0.1))).toBe(9);
    act = hpa({ scaleDown: { ...two, selectPolicy: 'Disabled' } });
    expect(act(view(0, 10, 0.1))).toBe(10);
  });

  it('does not scale up again while the new pods are starting and the ready ones are diluted', () => {
    const act = hpa();
    // 4 ready at 100 % with 4 starting: no change (see the replica calculator).
    expect(act(view(0, 8, 1.0, 4))).toBe(8);
  });

  it('rejects malformed behaviors, naming the option', () => {
    expect(() => hpa({ scaleUp: { policies: [{ type: 'Pods', value: -1, periodSeconds: 15 }] } })).toThrow(
      /hpa: option 'scaleUp' has a malformed policy/,
    );
    expect(() => hpa({ scaleDown: { selectPolicy: 'Sometimes' } })).toThrow(/option 'scaleDown' has selectPolicy "Sometimes"/);
    expect(() => hpa({ target: 50 })).toThrow(/option 'target' is not an option/);
  });
});

describe('hpa on Autoscaling-v0', () => {
  it('scales a constant overload up within the delta encoding, then settles near the target', () => {
    const env = make('Autoscaling-v0', {
      load: { type: 'constant', rate: 12 },
      initialReplicas: 2,
      maxStep: 3,
      startupDelay: 0,
      episodeLength: 600,
    });
    const agent = makeAgent('hpa', env);
    let { info } = env.reset({ seed: 0 });
    agent.onEpisodeStart?.();
    const counts: number[] = [];
    for (;;) {
      const s = env.step(agent.act(new Float32Array(0), { info }));
      info = s.info;
      counts.push((info.autoscaling as AutoscalingState).replicas);
      if (s.truncated) break;
    }
    // Up by 3 (maxStep) per step while saturated, then 16 replicas: 12/16 = 75 %, within tolerance of 80 %.
    // Saturated pods report 100 %: ceil(1.25 · c) per step, at most +3 (maxStep).
    expect(counts.slice(0, 7)).toEqual([3, 4, 5, 7, 9, 12, 15]);
    // The backlog built meanwhile keeps them saturated up to maxReplicas; the scale-down waits >= 300 s.
    const lastUp = counts.reduce((last, c, i) => (i > 0 && c > counts[i - 1] ? i : last), -1); // findLastIndex is ES2023
    const firstDown = counts.findIndex((c, i) => i > 0 && c < counts[i - 1]);
    expect(counts[lastUp]).toBe(20);
    expect((firstDown - lastUp) * 15).toBeGreaterThanOrEqual(300);
    // Settled: 12 requests/s on 15 replicas is 80 %, the target.
    expect(counts.at(-1)).toBe(15);
  });
});
