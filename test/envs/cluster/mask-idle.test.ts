import { describe, expect, it } from 'vitest';
import { ClusterSchedulingEnv, make } from '../../../envs/index.js';
import { envWithJobs, view } from './helpers.js';

const IDLE = 10; // "do nothing" with deeprm-train's 10 slots

/** Plays one episode with `pick`, returning every mask seen, the rewards, the observations and the end. */
function play(env: ClusterSchedulingEnv, pick: (mask: Uint8Array, i: number) => number, seed?: number) {
  let { observation, info } = env.reset(seed === undefined ? {} : { seed });
  const masks: number[][] = [];
  const trace: number[] = [];
  for (let i = 0; ; i++) {
    masks.push(Array.from(info.actionMask!));
    trace.push(...observation);
    const r = env.step(pick(info.actionMask!, i));
    trace.push(r.reward);
    ({ observation, info } = r);
    if (r.terminated || r.truncated) return { masks, trace, terminated: r.terminated, metrics: r.info.metrics! };
  }
}

describe('ClusterScheduling-v0 options maskIdleWhenDrained and maskIdleOnEmptyMachine', () => {
  it('masks "do nothing" only once no job can arrive, the machine is empty and a job waits', () => {
    // A takes all of resource 0 for 2 steps, so B waits behind it; C arrives at step 2.
    const env = envWithJobs(['0,2,10,1', '0,3,4,1', '2,1,1,1'], { end: 'all_done', maskIdleWhenDrained: true });
    const { info } = env.reset({ seed: 0 });
    expect(Array.from(info.actionMask!)).toEqual([1, 1, 0, 0, 0, 1]); // empty machine, but C is still to come
    let r = env.step(0);
    expect(Array.from(r.info.actionMask!)).toEqual([0, 0, 0, 0, 0, 1]); // A runs
    r = env.step(5);
    expect(view(r.info).time).toBe(1);
    expect(r.info.actionMask![5]).toBe(1);
    r = env.step(5);
    // Time 2: A is done, C has come, nothing can arrive any more and B and C wait on an empty machine.
    expect(view(r.info).time).toBe(2);
    expect(Array.from(r.info.actionMask!)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(env.actionMasks()).toEqual(r.info.actionMask);
    // The mask advises: "do nothing" taken anyway advances time, charges the waiting jobs and changes nothing else.
    const before = Array.from(r.observation);
    r = env.step(5);
    expect(view(r.info).time).toBe(3);
    expect(r.reward).toBeCloseTo(-(1 / 3 + 1));
    expect(Array.from(r.observation)).toEqual(before);
    expect(r.info.actionMask![5]).toBe(0);
    r = env.step(0); // B runs: "do nothing" is valid again
    expect(Array.from(r.info.actionMask!)).toEqual([0, 1, 0, 0, 0, 1]);
    r = env.step(1); // C fits beside B
    expect(r.info.actionMask![5]).toBe(1); // nothing waits
  });

  it('with maskIdleOnEmptyMachine, masks "do nothing" whenever the machine is empty and a job waits, arrivals or not', () => {
    const env = envWithJobs(['0,2,10,1', '0,3,4,1', '2,1,1,1'], { end: 'all_done', maskIdleOnEmptyMachine: true });
    const { info } = env.reset({ seed: 0 });
    expect(Array.from(info.actionMask!)).toEqual([1, 1, 0, 0, 0, 0]); // C is still to come, the machine is empty
    let r = env.step(0);
    expect(Array.from(r.info.actionMask!)).toEqual([0, 0, 0, 0, 0, 1]); // A runs
    r = env.step(5);
    r = env.step(5);
    expect(view(r.info).time).toBe(2);
    expect(Array.from(r.info.actionMask!)).toEqual([1, 1, 0, 0, 0, 0]);
    r = env.step(0);
    r = env.step(1);
    expect(r.info.actionMask![5]).toBe(1); // nothing waits
    const idle = envWithJobs(['3,1,1,1'], { end: 'all_done', maskIdleOnEmptyMachine: true });
    expect(idle.reset({ seed: 0 }).info.actionMask![5]).toBe(1); // empty machine, but no job waits
  });

  it('ends the episode of a policy that waits whenever it may, which stalls until the step limit without them', () => {
    const waiter = (mask: Uint8Array) => (mask[IDLE] ? IDLE : mask.indexOf(1));
    const off = play(new ClusterSchedulingEnv({ preset: 'deeprm-train', observation: 'compact' }), waiter, 5);
    expect(off.terminated).toBe(false);
    expect(off.metrics.finished).toBe(0);
    expect(off.metrics.unfinished).toBeGreaterThan(0);
    for (const option of ['maskIdleWhenDrained', 'maskIdleOnEmptyMachine']) {
      const env = new ClusterSchedulingEnv({ preset: 'deeprm-train', observation: 'compact', [option]: true });
      for (let e = 0; e < 5; e++) {
        const on = play(env, waiter, e === 0 ? 5 : undefined);
        expect(on.terminated).toBe(true);
        expect(on.metrics.unfinished).toBe(0);
        expect(on.metrics.finished).toBeGreaterThan(0);
        expect(on.masks.some((m) => m[IDLE] === 0)).toBe(true);
      }
    }
  });

  it('leaves episodes as they are for policies that do not read the mask, and is off by default', () => {
    const policies = [(_: Uint8Array, i: number) => (i * 7) % (IDLE + 1), (_: Uint8Array, i: number) => (i % 3 ? IDLE : i % IDLE)];
    for (const pick of policies) {
      const off = play(new ClusterSchedulingEnv({ preset: 'deeprm-train', observation: 'compact' }), pick, 3);
      expect(off.masks.every((m) => m[IDLE] === 1)).toBe(true);
      for (const option of ['maskIdleWhenDrained', 'maskIdleOnEmptyMachine']) {
        const on = play(new ClusterSchedulingEnv({ preset: 'deeprm-train', observation: 'compact', [option]: true }), pick, 3);
        expect(on.trace).toEqual(off.trace);
        expect(on.metrics).toEqual(off.metrics);
        expect(on.masks.some((m) => m[IDLE] === 0)).toBe(true);
      }
    }
    expect(new ClusterSchedulingEnv({ preset: 'deeprm-train' }).params).toMatchObject({
      maskIdleWhenDrained: false,
      maskIdleOnEmptyMachine: false,
    });
  });

  it('refuses a value that is not a boolean, naming the option', () => {
    expect(() => make('ClusterScheduling-v0', { maskIdleWhenDrained: 'yes' })).toThrow(
      /option 'maskIdleWhenDrained' must be a boolean, got 'yes'; accepted: true or false/,
    );
  });
});
