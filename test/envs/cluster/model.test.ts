import { describe, expect, it } from 'vitest';
import { ClusterSchedulingEnv, InvalidActionError, make } from '../../../envs/index.js';
import { envWithJobs, freeUnits, view } from './helpers.js';

describe('ClusterScheduling-v0 model', () => {
  it('has the reference spaces at the defaults', () => {
    const env = make('ClusterScheduling-v0');
    expect(env.observationSpace.toString()).toBe('Box(0, 1, (20, 124), float32)');
    expect(env.actionSpace.toString()).toBe('Discrete(6)');
    const compact = new ClusterSchedulingEnv({ observation: 'compact' });
    expect(compact.observationSpace.shape).toEqual([(2 + 1) * (20 + 5) + 1]);
  });

  it('places a job at the earliest offset where it fits in every step it runs, without advancing time', () => {
    // Job 0 takes all of resource 0 for 5 steps; job 1 needs half of it for 3 steps.
    const env = envWithJobs(['0,5,10,1', '0,3,5,2']);
    let { info } = env.reset({ seed: 0 });
    expect(Array.from(info.actionMask!)).toEqual([1, 1, 0, 0, 0, 1]);
    let r = env.step(0);
    expect(r.reward).toBe(0);
    expect(freeUnits(r.observation, 0).slice(0, 7)).toEqual([0, 0, 0, 0, 0, 10, 10]);
    // Job 1 no longer fits now (masked), but picking it places it at offset 5, as the reference does.
    expect(Array.from(r.info.actionMask!)).toEqual([0, 0, 0, 0, 0, 1]);
    r = env.step(1);
    expect(r.reward).toBe(0);
    expect(view(r.info).time).toBe(0);
    expect(freeUnits(r.observation, 0).slice(0, 9)).toEqual([0, 0, 0, 0, 0, 5, 5, 5, 10]);
    expect(freeUnits(r.observation, 1).slice(0, 9)).toEqual([9, 9, 9, 9, 9, 8, 8, 8, 10]);
    // Jobs on the machine per future step (compact layout's first T values).
    expect(Array.from(r.observation.subarray(0, 9))).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 0]);
    info = r.info;
    expect(view(info).slotLength[1]).toBe(0);
  });

  it('treats a job that fits nowhere in the horizon, an empty slot and "do nothing" alike: time advances', () => {
    // Offsets 0 … T − len − 1 = 0 … 4 are all blocked by the first job for a 15-step job.
    const env = envWithJobs(['0,15,10,1', '0,15,10,1']);
    env.reset({ seed: 0 });
    env.step(0);
    let r = env.step(1);
    expect(view(r.info).time).toBe(1);
    expect(r.reward).toBeCloseTo(-(1 / 15 + 1 / 15));
    r = env.step(3); // empty slot
    expect(view(r.info).time).toBe(2);
    r = env.step(5);
    expect(view(r.info).time).toBe(3);
  });

  it('places several jobs in one time step and charges nothing until time advances', () => {
    const env = envWithJobs(['0,2,3,1', '0,2,3,1', '0,2,3,1', '1,1,1,1']);
    env.reset({ seed: 0 });
    for (const a of [0, 1, 2]) {
      const r = env.step(a);
      expect(r.reward).toBe(0);
      expect(view(r.info).time).toBe(0);
    }
    const r = env.step(5);
    expect(r.reward).toBeCloseTo(-3 / 2);
    expect(freeUnits(r.observation, 0).slice(0, 3)).toEqual([1, 10, 10]);
    expect(view(r.info).slotLength[0]).toBe(1); // the step-1 arrival took the first empty slot
  });

  it('refills a freed slot from the head of the backlog', () => {
    const env = envWithJobs(['0,1,1,1', '0,2,1,1', '0,3,1,1', '0,4,1,1'], { numSlots: 2, backlogSize: 20 });
    const { info } = env.reset({ seed: 0 });
    expect(Array.from(view(info).slotLength)).toEqual([1, 2]);
    expect(view(info).backlog).toBe(2);
    let r = env.step(0);
    expect(Array.from(view(r.info).slotLength)).toEqual([3, 2]);
    expect(view(r.info).backlog).toBe(1);
    r = env.step(1);
    expect(Array.from(view(r.info).slotLength)).toEqual([3, 4]);
    expect(view(r.info).backlog).toBe(0);
    expect(r.observation[r.observation.length - 1]).toBe(0);
  });

  it('drops arrivals when the backlog is full and counts them', () => {
    const jobs = Array.from({ length: 25 }, () => '0,1,1,1');
    const env = envWithJobs(jobs, { numSlots: 1, backlogSize: 20 });
    const { info } = env.reset({ seed: 0 });
    expect(view(info).backlog).toBe(20);
    const r = env.step(1);
    expect(r.terminated).toBe(true); // the list's arrivals end after step 0
    expect(r.info.metrics).toMatchObject({ dropped: 4, unfinished: 21, finished: 0 });
    // Dropped jobs are not charged: 21 waiting jobs of length 1.
    expect(r.reward).toBeCloseTo(-21);
  });

  it('masks empty slots and jobs that do not fit now; "do nothing" is always valid', () => {
    const env = envWithJobs(['0,3,8,1', '0,2,5,1']);
    const { info } = env.reset({ seed: 0 });
    expect(Array.from(env.actionMasks())).toEqual([1, 1, 0, 0, 0, 1]);
    expect(Array.from(view(info).slotFits)).toEqual([1, 1, 0, 0, 0]);
    const r = env.step(0);
    expect(Array.from(r.info.actionMask!)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(Array.from(view(r.info).freeNow)).toEqual([2, 9]);
  });

  it('rejects actions outside the space', () => {
    const env = envWithJobs(['0,3,8,1']);
    env.reset({ seed: 0 });
    for (const a of [-1, 6, 1.5, NaN]) expect(() => env.step(a)).toThrow(InvalidActionError);
    expect(() => env.step(6)).toThrow(/0 … 4 .*or 5 \(do nothing\)/);
  });

  it('ends at the end of the arrivals with no_new_job, and when everything is done with all_done', () => {
    const jobs = ['0,3,8,1', '1,2,5,1'];
    const first = envWithJobs(jobs, { end: 'no_new_job' });
    first.reset({ seed: 0 });
    let r = first.step(5);
    expect(r.terminated).toBe(false);
    r = first.step(5); // time 2 ≥ horizon 2
    expect(r.terminated).toBe(true);
    expect(view(r.info).time).toBe(2);
    expect(r.info.metrics).toMatchObject({ finished: 0, unfinished: 2 });

    const all = envWithJobs(jobs, { end: 'all_done' });
    let { info } = all.reset({ seed: 0 });
    let steps = 0;
    for (;;) {
      r = all.step(info.actionMask!.indexOf(1));
      steps++;
      info = r.info;
      if (r.terminated || r.truncated) break;
    }
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(false);
    // Job 0 runs in steps 0 … 2; job 1 (arrived at 1) waits until resource 0 has room now, at 3, and ends at 5.
    expect(view(r.info).time).toBe(5);
    expect(r.info.metrics).toMatchObject({ finished: 2, unfinished: 0, slowdown: (1 + (5 - 1) / 2) / 2, jct: (3 + 4) / 2 });
    expect(steps).toBeGreaterThan(0);
  });

  it('truncates when time exceeds episodeMaxLength', () => {
    const env = envWithJobs(['0,3,8,1'], { end: 'all_done', episodeMaxLength: 4 });
    env.reset({ seed: 0 });
    let r;
    let steps = 0;
    do {
      r = env.step(5);
      steps++;
    } while (!r.terminated && !r.truncated);
    expect(r.truncated).toBe(true);
    expect(steps).toBe(5);
    expect(r.info.metrics).toMatchObject({ unfinished: 1, finished: 0, utilization: 0 });
  });

  it('reports utilization per resource and their mean', () => {
    // Job uses 5 of 10 units of resource 0 and 1 of resource 1 for 2 steps; the episode lasts 4 steps.
    const env = envWithJobs(['0,2,5,1', '3,1,1,1'], { end: 'no_new_job' });
    env.reset({ seed: 0 });
    env.step(0);
    let r;
    do r = env.step(5);
    while (!r.terminated);
    expect(r.info.metrics!.utilization_0).toBeCloseTo(10 / 40);
    expect(r.info.metrics!.utilization_1).toBeCloseTo(2 / 40);
    expect(r.info.metrics!.utilization).toBeCloseTo((10 / 40 + 2 / 40) / 2);
  });
});
