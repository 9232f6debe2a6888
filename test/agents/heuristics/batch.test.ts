import { describe, expect, it } from 'vitest';
import { listAgents, makeAgent } from '../../../agents/index.js';
import type { BatchSchedulingEnv } from '../../../envs/batch/batch-scheduling.js';
import { BatchSimulator } from '../../../envs/batch/batch-simulator.js';
import { PRIORITY_RULES } from '../../../envs/batch/priority-rules.js';
import type { BatchQueueView } from '../../../envs/batch/queue-view.js';
import { parseSwf } from '../../../envs/batch/swf-parser.js';
import { make } from '../../../envs/index.js';

// Three jobs: [submit, requested time, procs].
const jobs: [number, number, number][] = [
  [100, 1000, 4],
  [400, 10, 1],
  [0, 50, 16],
];
const t = parseSwf(
  ['; MaxNodes: 16', ...jobs.map(([s, r, n], i) => `${i + 1} ${s} -1 ${r} ${n} -1 -1 -1 ${r} -1 1 -1 -1 -1 0 -1 -1 -1`)].join('\n'),
);
const now = 1000;
const score = (name: string, j: number) => PRIORITY_RULES[name].primary(t, j, now);

describe('batch priority rules: the reference formulas', () => {
  it('FCFS, SJF, SAF: submit time; (requested time, submit); (procs, submit)', () => {
    expect([0, 1, 2].map((j) => score('fcfs', j))).toEqual([100, 400, 0]);
    expect([0, 1, 2].map((j) => [score('sjf', j), PRIORITY_RULES.sjf.secondary!(t, j)])).toEqual([
      [1000, 100],
      [10, 400],
      [50, 0],
    ]);
    expect([0, 1, 2].map((j) => [score('saf', j), PRIORITY_RULES.saf.secondary!(t, j)])).toEqual([
      [4, 100],
      [1, 400],
      [16, 0],
    ]);
  });

  it('F1–F4, with log10 of a non-positive value taken as log10(0.1)', () => {
    expect(score('f1', 0)).toBeCloseTo(Math.log10(1000) * 4 + 870 * Math.log10(100), 9);
    expect(score('f1', 2)).toBeCloseTo(Math.log10(50) * 16 + 870 * -1, 9);
    expect(score('f2', 1)).toBeCloseTo(Math.sqrt(10) * 1 + 25600 * Math.log10(400), 9);
    expect(score('f3', 0)).toBeCloseTo(1000 * 4 + 6.86e6 * 2, 6);
    expect(score('f4', 2)).toBeCloseTo(50 * 4 - 5.3e5, 6);
  });

  it('WFP3 and UNICEP (textbook) use the wait now − s', () => {
    expect(score('wfp3', 0)).toBeCloseTo(-Math.pow(900 / 1000, 3) * 4, 12);
    expect(score('unicep', 0)).toBeCloseTo(-900 / (2 * 1000), 12);
    // One processor: log2(1) = 0; a job that has waited runs first, one that has not scores 0.
    expect(score('unicep', 1)).toBe(-Infinity);
    expect(PRIORITY_RULES.unicep.primary(t, 1, 400)).toBe(0);
  });

  it('the -compat variants are the reference code: w = −1 − s, 1e-15 inside UNICEP', () => {
    expect(score('wfp3-compat', 0)).toBeCloseTo(-Math.pow(-101 / 1000, 3) * 4, 15);
    expect(score('unicep-compat', 0)).toBeCloseTo(-(-101 + 1e-15) / (Math.log2(4 + 1e-15) * 1000), 15);
    // A 1-processor job divides by log2(1 + 1e-15) ≈ 1.6e-15: an enormous score, it runs last.
    expect(score('unicep-compat', 1)).toBeGreaterThan(1e15);
    // No dependence on the current time.
    expect(PRIORITY_RULES['wfp3-compat'].primary(t, 0, 5)).toBe(score('wfp3-compat', 0));
  });
});

describe('batch heuristic agents', () => {
  const names = ['fcfs', 'sjf', 'saf', 'f1', 'f2', 'f3', 'f4', 'wfp3', 'unicep', 'wfp3-compat', 'unicep-compat'];

  it('are registered with priority 1 and support only BatchScheduling-v0', () => {
    const env = make('BatchScheduling-v0', { trace: 'lublin-2', sequenceLength: 16, starts: [0] });
    for (const name of names) {
      const entry = listAgents().find((a) => a.name === name && a.supports(env, { seed: 0 }) === null);
      expect(entry?.priority).toBe(1);
      expect(entry?.supports(make('CartPole-v1'), { seed: 0 })).toMatch(/BatchScheduling-v0 only/);
    }
    expect(() => makeAgent('f1', env, { x: 1 })).toThrow(/option 'x' is not an option/);
  });

  it('commit the job their rule picks from the whole queue, matching a direct simulation', () => {
    const starts = [1981, 2756];
    for (const name of names) {
      const env = make('BatchScheduling-v0', {
        trace: 'lublin-1',
        sequenceLength: 256,
        starts,
        queueSize: 8,
        backfill: name.length % 2 === 0,
      });
      const agent = makeAgent(name, env);
      let { observation, info } = env.reset({ seed: 0 });
      let done = false;
      while (!done) {
        // The observation's window stays the FCFS prefix of the whole queue while the rule reorders it.
        const view = info.batch as BatchQueueView;
        const submit = view.trace.submit;
        const fcfs = Array.from(view.queue)
          .sort((a, b) => submit[a] - submit[b] || a - b)
          .slice(0, 8);
        expect(Array.from(view.window)).toEqual(fcfs);
        const r = env.step(agent.act(observation, { info, mask: info.actionMask }));
        ({ observation, info } = r);
        done = r.terminated;
      }
      const viaEnv = info.metrics!.bsld;
      const u = env.unwrapped as BatchSchedulingEnv;
      const sim = new BatchSimulator(u.trace, u.backfill);
      sim.begin(starts[0], 256);
      do sim.applyRule(PRIORITY_RULES[name]);
      while (!sim.commit(sim.queue[0]));
      expect(viaEnv).toBe(sim.metrics().bsld);
    }
  });

  it('needs info.batch', () => {
    const env = make('BatchScheduling-v0', { trace: 'lublin-2', sequenceLength: 16, starts: [0] });
    expect(() => makeAgent('sjf', env).act(new Float32Array(1024), {})).toThrow(/needs info\.batch/);
  });
});
