import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeAgent } from '../../../agents/index.js';
import type { JobSequence } from '../../../envs/cluster/workload/index.js';
import { ClusterSchedulingEnv } from '../../../envs/index.js';
import { view } from './helpers.js';

/**
 * Episodes of DeepRM's own environment (a port of environment.py, job_distribution.py, other_agents.py and
 * slow_down_cdf.py's get_traj in fixtures/deeprm_reference.py), played by its SJF and Packer baselines and
 * by a seeded random policy on its own job lists, replayed here on ClusterScheduling-v0 with the presets'
 * timing (firstEntry 'skip'). Regenerate: python3 fixtures/deeprm_reference.py > fixtures/deeprm-reference.json
 */
interface Reference {
  numpy: string;
  cases: {
    name: string;
    end: 'no_new_job' | 'all_done';
    params: Record<
      | 'num_res'
      | 'res_slot'
      | 'time_horizon'
      | 'max_job_len'
      | 'max_job_size'
      | 'num_nw'
      | 'backlog_size'
      | 'simu_len'
      | 'episode_max_length',
      number
    >;
    sequences: { length: number[]; demand: number[][] }[];
    episodes: {
      sequence: number;
      policy: 'sjf' | 'packer' | 'random';
      done: boolean;
      steps: { action: number; allocate: boolean; reward: number; stale: number; time: number }[];
      jobs: { enter: number; len: number; demand: number[]; finish: number }[];
      slowdowns: number[];
    }[];
  }[];
}
const reference: Reference = JSON.parse(readFileSync(new URL('./fixtures/deeprm-reference.json', import.meta.url), 'utf8'));

/** DeepRM's sequence (entry i: length 0 = no job) as a schedlab JobSequence: entry i arrives at step i. */
function toSequence(s: { length: number[]; demand: number[][] }, numRes: number): JobSequence {
  const idx = s.length.flatMap((len, i) => (len > 0 ? [i] : []));
  return {
    horizon: s.length.length,
    arrival: Int32Array.from(idx),
    length: Int32Array.from(idx, (i) => s.length[i]),
    demand: Int32Array.from(idx.flatMap((i) => s.demand[i].slice(0, numRes))),
  };
}

describe('ClusterScheduling-v0 against DeepRM on its own job lists (fixtures/deeprm_reference.py)', () => {
  it('covers the defaults, the training setting and an overload, with the removal quirk occurring', () => {
    expect(reference.cases.map((c) => c.name)).toEqual([
      'parameters.py defaults',
      'training setting (deeprm-train)',
      'overload: full slots, backlog, dropped jobs',
    ]);
    const stale = reference.cases.flatMap((c) => c.episodes.flatMap((e) => e.steps.map((s) => s.stale)));
    expect(stale.some((s) => s > 0)).toBe(true);
  });

  for (const c of reference.cases) {
    const p = c.params;
    const options = {
      preset: 'deeprm-default',
      numRes: p.num_res,
      resSlot: p.res_slot,
      timeHorizon: p.time_horizon,
      maxJobLen: p.max_job_len,
      maxJobSize: p.max_job_size,
      numSlots: p.num_nw,
      backlogSize: p.backlog_size,
      simuLen: p.simu_len,
      episodeMaxLength: p.episode_max_length,
      end: c.end,
    };
    const sequences = c.sequences.map((s) => toSequence(s, p.num_res));

    it(`${c.name}: the same decisions, rewards, times, end and per-job slowdowns, step by step`, () => {
      for (const observation of ['compact', 'image'] as const) {
        const env = new ClusterSchedulingEnv({ ...options, observation, workload: { type: 'deeprm-fixture', sequences: () => sequences } });
        expect(env.params.firstEntry).toBe('skip');
        const agents = { sjf: makeAgent('sjf', env), packer: makeAgent('packer', env) };
        for (const ep of c.episodes) {
          const where = `${c.name}, sequence ${ep.sequence}, ${ep.policy}, ${observation}`;
          let { observation: obs, info } = env.reset({ seed: 0, options: { sequence: ep.sequence } });
          let k = 0;
          let metrics: Record<string, number> | undefined;
          for (; k < ep.steps.length; k++) {
            const ref = ep.steps[k];
            const action = ep.policy === 'random' ? ref.action : agents[ep.policy].act(obs, { info });
            expect(action, `${where}, step ${k}: action`).toBe(ref.action);
            const r = env.step(action);
            // schedlab removes finished jobs exactly; the reference's stale charge is the only difference.
            expect(r.reward, `${where}, step ${k}: reward`).toBeCloseTo(ref.reward + ref.stale, 12);
            expect(view(r.info).time, `${where}, step ${k}: time`).toBe(ref.time);
            obs = r.observation;
            info = r.info;
            if (r.terminated || r.truncated) {
              metrics = r.info.metrics;
              k++;
              break;
            }
          }
          expect(metrics, `${where}: ended`).toBeDefined();
          // The reference can end later only through its quirk: "do nothing" steps charged for stale jobs alone.
          for (const extra of ep.steps.slice(k)) {
            expect(extra.allocate, `${where}: extra step`).toBe(false);
            expect(extra.reward + extra.stale).toBeCloseTo(0, 12);
          }
          expect(ep.done).toBe(true);
          const finished = ep.jobs.filter((j) => j.finish >= 0);
          expect(metrics!.finished, where).toBe(finished.length);
          expect(metrics!.unfinished, where).toBe(ep.jobs.length - finished.length);
          const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
          expect(metrics!.slowdown, where).toBeCloseTo(mean(ep.slowdowns), 12);
          expect(metrics!.jct, where).toBeCloseTo(mean(finished.map((j) => j.finish - j.enter)), 12);
        }
      }
    });
  }

  it("firstEntry 'play' (schedlab 0.1) plays the first entry the reference skips", () => {
    const c = reference.cases[0];
    const withFirst = c.sequences.findIndex((s) => s.length[0] > 0);
    expect(withFirst).toBeGreaterThanOrEqual(0);
    const seqs = c.sequences.map((s) => toSequence(s, 2));
    const jobsPlayed = (firstEntry: string) => {
      const env = new ClusterSchedulingEnv({
        observation: 'compact',
        firstEntry,
        workload: { type: 'deeprm-fixture', sequences: () => seqs },
      });
      env.reset({ seed: 0, options: { sequence: withFirst } });
      let r = env.step(5);
      while (!r.terminated && !r.truncated) r = env.step(5);
      const m = r.info.metrics!;
      return m.finished + m.unfinished + m.dropped;
    };
    const ref = c.episodes.find((e) => e.sequence === withFirst && e.policy === 'sjf')!;
    expect(jobsPlayed('skip')).toBe(ref.jobs.length);
    expect(jobsPlayed('play')).toBe(ref.jobs.length + 1);
  });
});
