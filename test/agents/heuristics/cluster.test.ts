import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../agents/core/evaluation.js';
import { makeAgent } from '../../../agents/index.js';
import type { ClusterStateView } from '../../../envs/cluster/index.js';
import { ClusterSchedulingEnv, make, OptionError, SchedlabError } from '../../../envs/index.js';
import { envWithJobs } from '../../envs/cluster/helpers.js';

/** A state view by hand: slots given as [len, demand0, demand1, arrival, fits] (null = empty). */
function stateView(slots: ([number, number, number, number, 0 | 1] | null)[], freeNow = [10, 10]): ClusterStateView {
  const n = slots.length;
  const v = {
    slotLength: new Int32Array(n),
    slotDemand: new Int32Array(2 * n),
    slotArrival: new Int32Array(n).fill(-1),
    slotFits: new Uint8Array(n),
  };
  slots.forEach((s, i) => {
    if (!s) return;
    [v.slotLength[i], v.slotDemand[2 * i], v.slotDemand[2 * i + 1], v.slotArrival[i], v.slotFits[i]] = s;
  });
  return { time: 0, numRes: 2, numSlots: n, ...v, freeNow: Int32Array.from(freeNow), backlog: 0 };
}

const env = new ClusterSchedulingEnv({ observation: 'compact' });
const act = (name: string, v: ClusterStateView, options: Record<string, unknown> = {}) =>
  makeAgent(name, env, options).act(new Float32Array(0), { info: { cluster: v } });

describe('ClusterScheduling-v0 heuristics', () => {
  it('sjf picks the shortest job that fits now, the lower slot on ties, else does nothing', () => {
    expect(act('sjf', stateView([[5, 1, 1, 0, 1], [2, 9, 9, 0, 0], [3, 1, 1, 0, 1], [3, 2, 2, 0, 1], null]))).toBe(2);
    expect(act('sjf', stateView([[5, 1, 1, 0, 0], null, null, null, null]))).toBe(5);
  });

  it('packer picks the job best aligned with the free resources now', () => {
    // Free now (10, 2): alignments 10·1 + 2·5 = 20, 10·4 + 2·1 = 42, 10·4 + 2·1 = 42 (tie: lower slot), 10·9 + 2·2 = 94 but does not fit.
    const v = stateView([[1, 1, 5, 0, 1], [9, 4, 1, 0, 1], [2, 4, 1, 0, 1], [1, 9, 2, 0, 0], null], [10, 2]);
    expect(act('packer', v)).toBe(1);
    expect(act('packer', stateView([null, null, null, null, null]))).toBe(5);
  });

  it('packer-sjf weighs alignment against 1/len with its knob', () => {
    const v = stateView([[1, 1, 1, 0, 1], [9, 5, 1, 0, 1], null, null, null]);
    expect(act('packer-sjf', v, { knob: 1 })).toBe(act('packer', v));
    expect(act('packer-sjf', v, { knob: 0 })).toBe(act('sjf', v));
    expect(act('packer-sjf', v, { knob: 1 })).toBe(1);
    expect(act('packer-sjf', v, { knob: 0 })).toBe(0);
    // knob 0.01: 0.01·20 + 0.99 = 1.19 for slot 0 vs 0.01·60 + 0.11 = 0.71 for slot 1.
    expect(act('packer-sjf', v, { knob: 0.01 })).toBe(0);
    expect(() => makeAgent('packer-sjf', env, { knob: 2 })).toThrow(OptionError);
    expect(makeAgent('packer-sjf', env).options).toEqual({ knob: 0.5 });
  });

  it('fcfs serves the earliest arrival, and waits when it does not fit now', () => {
    expect(act('fcfs', stateView([[5, 1, 1, 4, 1], [2, 1, 1, 1, 1], [3, 1, 1, 1, 1], null, null]))).toBe(1);
    expect(act('fcfs', stateView([[5, 1, 1, 4, 1], [2, 1, 1, 1, 0], null, null, null]))).toBe(5);
  });

  it('random draws uniformly over all numSlots + 1 actions, ignoring the mask, reproducibly', () => {
    const v = stateView([[5, 1, 1, 4, 0], null, null, null, null]);
    const draw = (seed: number) => {
      const agent = makeAgent('random', env, {}, { seed });
      return Array.from({ length: 6000 }, () =>
        agent.act(new Float32Array(0), { info: { cluster: v }, mask: new Uint8Array([0, 0, 0, 0, 0, 1]) }),
      );
    };
    const a = draw(3);
    expect(draw(3)).toEqual(a);
    const counts = [0, 1, 2, 3, 4, 5].map((k) => a.filter((x) => x === k).length);
    for (const c of counts) expect(c / 6000).toBeCloseTo(1 / 6, 1);
  });

  it('act on the env through its state view, and refuse other envs or a missing view', () => {
    const e = envWithJobs(['0,4,5,1', '0,1,5,1', '0,2,9,9']);
    const { info } = e.reset({ seed: 0 });
    expect(makeAgent('sjf', e).act(new Float32Array(0), { info })).toBe(1);
    expect(makeAgent('packer', e).act(new Float32Array(0), { info })).toBe(2);
    expect(() => makeAgent('sjf', e).act(new Float32Array(0), {})).toThrow(/needs the info .*info\.cluster/);
    expect(() => makeAgent('packer', make('CartPole-v1'))).toThrow(SchedlabError);
    expect(() => makeAgent('packer', make('CartPole-v1'))).toThrow(/reads the ClusterScheduling-v0 state view/);
  });

  it('rank as in the reference on the training setting: SJF below Packer, both far below Random', () => {
    const slowdown = (name: string) => {
      const e = make('ClusterScheduling-v0', { preset: 'deeprm-train', observation: 'compact' });
      return evaluate(e, makeAgent(name, e, {}, { seed: 1 }), { episodes: 20, seed: 1 }).metrics.slowdown.mean;
    };
    const [sjf, packer, random] = ['sjf', 'packer', 'random'].map(slowdown);
    expect(sjf).toBeLessThan(packer);
    expect(random).toBeGreaterThan(1.5 * packer);
  });
});
