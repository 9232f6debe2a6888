import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CLUSTER_LIMITS, parseClusterOptions } from '../../../envs/cluster/options.js';
import { ClusterSchedulingEnv, make, OptionError } from '../../../envs/index.js';
import { csvFile, envWithJobs, view } from './helpers.js';

type Policy = (info: Record<string, unknown>) => number;

const spec = load(readFileSync(fileURLToPath(new URL('../../../experiments/quickstart.yaml', import.meta.url)), 'utf8')) as {
  seeds: number[];
  evaluation: { episodes: number; seedOffset: number };
  tasks: { label: string; env: { id: string; options: Record<string, unknown> } }[];
  tables: { name: string; metrics: { metric: string; label: string }[] }[];
};
const quickstartCluster = spec.tasks.find((t) => t.label === 'cluster')!;

/** Runs one episode; returns its rewards and end metrics. */
function episode(env: ClusterSchedulingEnv, policy: Policy, seed?: number) {
  let { info } = env.reset(seed === undefined ? {} : { seed });
  const rewards: number[] = [];
  for (;;) {
    const r = env.step(policy(info));
    rewards.push(r.reward);
    info = r.info;
    if (r.terminated || r.truncated) return { rewards, metrics: r.info.metrics! };
  }
}

/** Shortest job that fits now (DeepRM's SJF), else "do nothing". */
const sjf: Policy = (info) => {
  const v = view(info);
  let best = v.numSlots;
  for (let i = 0; i < v.numSlots; i++) if (v.slotFits[i] && (best === v.numSlots || v.slotLength[i] < v.slotLength[best])) best = i;
  return best;
};
/** Never places anything. */
const idle: Policy = (info) => view(info).numSlots;
/** SJF over short jobs only (length ≤ 3): long jobs wait for ever. */
const shortOnly: Policy = (info) => {
  const v = view(info);
  for (let i = 0; i < v.numSlots; i++) if (v.slotFits[i] && v.slotLength[i] <= 3) return i;
  return v.numSlots;
};

describe('ClusterScheduling-v0 option limits', () => {
  it.each([
    [
      { simuLen: 1e8 },
      /option 'simuLen' is 100000000, out of range; accepted: an integer >= 1 and <= 1000000 \(limit: sequences are drawn up front/,
    ],
    [
      { resSlot: 1e7, maxJobSize: 10 },
      /option 'resSlot' is 10000000, out of range; accepted: an integer >= 1 and <= 100000 \(limit: the machine and the image hold a cell per unit\)/,
    ],
    [{ numSequences: 1e6 }, /'numSequences' is 1000000, out of range; accepted: an integer >= 1 and <= 100000/],
    [
      { simuLen: 1e6, numSequences: 100 },
      /'simuLen' \(1000000\) × numSequences \(100\) = 100000000 arrival steps, above the limit of 10000000/,
    ],
    [
      { resSlot: 100_000, timeHorizon: 1000, backlogSize: 1000, observation: 'compact' },
      /'resSlot' \(100000\) × numRes \(2\) × \(timeHorizon − 1\) \(999\) = 199800000 machine cells, above the limit of 20000000/,
    ],
    [
      { resSlot: 10_000, timeHorizon: 1000, backlogSize: 1000 },
      /'observation' 'image' would have 1000 × \d+ = \d+ cells, above the limit of 4000000; accepted: 'compact'/,
    ],
    [{ timeHorizon: 1e6 }, /'timeHorizon' is 1000000, out of range; accepted: an integer >= 2 and <= 10000/],
    [{ numRes: 1000 }, /'numRes' is 1000, out of range; accepted: an integer >= 1 and <= 32/],
    [{ numSlots: 1e6 }, /'numSlots' is 1000000, out of range/],
    [{ backlogSize: 2e7 }, /'backlogSize' is 20000000, out of range/],
    [
      { episodeMaxLength: 1e10 },
      /'episodeMaxLength' is 10000000000, out of range; accepted: an integer >= 1 and <= 1000000000 \(limit: times are 32-bit integers\)/,
    ],
  ])('%j is refused at once, naming the limit', (options, message) => {
    expect(() => make('ClusterScheduling-v0', options)).toThrow(OptionError);
    expect(() => make('ClusterScheduling-v0', options)).toThrow(message);
    // At once: by the option parser, before the env allocates its machine, image or sequences.
    expect(() => parseClusterOptions(options)).toThrow(message);
  });

  it('a CSV arrival beyond 32-bit times is refused, not wrapped', () => {
    const path = csvFile('1,2,5,1\n3000000000,2,5,1\n');
    expect(() => new ClusterSchedulingEnv({ workload: { type: 'csv', path } })).toThrow(
      /jobs\.csv:2 \(field arrival\): is 3000000000; expected an integer in 0 … 1000000000 \(limit: times are 32-bit integers\)/,
    );
  });

  it('settings at the limits still build', () => {
    const env = make('ClusterScheduling-v0', { simuLen: 100_000, numSequences: 10, observation: 'compact', preset: 'deeprm-train' });
    expect(env.reset({ seed: 0 }).info.cluster).toBeDefined();
    expect(CLUSTER_LIMITS.arrivalSteps).toBe(1e7);
    expect(() => make('ClusterScheduling-v0', { resSlot: 1000, timeHorizon: 100, backlogSize: 100, observation: 'compact' })).not.toThrow();
  });
});

describe("ClusterScheduling-v0 firstEntry: DeepRM's timing in every preset, 0.1's on request", () => {
  it("'skip' (the presets): reset starts empty, entry 0 is never played, a step is charged after the advance", () => {
    const jobs = ['1,2,5,1', '1,3,2,2', '3,1,1,1'];
    const env = envWithJobs(jobs, { firstEntry: 'skip', end: 'all_done' });
    expect(env.params.firstEntry).toBe('skip');
    const { info } = env.reset({ seed: 0 });
    expect(view(info).slotLength[0]).toBe(0);
    // Do nothing: time 0 → 1, two jobs arrive and the step is charged for them (1/2 + 1/3).
    const r = env.step(5);
    expect(r.reward).toBeCloseTo(-(1 / 2 + 1 / 3), 12);
    expect(Array.from(view(r.info).slotLength.slice(0, 2))).toEqual([2, 3]);
    const play = envWithJobs(jobs, { end: 'all_done' });
    play.reset({ seed: 0 });
    // 0.1's timing: nothing arrives at 0, so the first advance is charged for an empty system.
    expect(play.step(5).reward).toBe(-0);
  });

  it('every preset plays DeepRM timing; explicit firstEntry wins', () => {
    for (const preset of ['deeprm-default', 'deeprm-train', 'deeprm-cdf', 'deeprm-load-0.5']) {
      expect(new ClusterSchedulingEnv({ preset }).params.firstEntry).toBe('skip');
    }
    expect(new ClusterSchedulingEnv({ preset: 'deeprm-train', firstEntry: 'play' }).params.firstEntry).toBe('play');
  });

  it('the first entry of a drawn sequence never arrives; the rest do, at their step', () => {
    const env = new ClusterSchedulingEnv({ preset: 'deeprm-train', observation: 'compact', newJobRate: 1 });
    const { metrics } = episode(env, sjf, 3);
    const seq = env.sequence;
    expect(seq.arrival[0]).toBe(0);
    expect(metrics.finished + metrics.unfinished + metrics.dropped).toBe(seq.arrival.length - 1);
    const played = new ClusterSchedulingEnv({ preset: 'deeprm-train', observation: 'compact', newJobRate: 1, firstEntry: 'play' });
    const m = episode(played, sjf, 3).metrics;
    expect(m.finished + m.unfinished + m.dropped).toBe(seq.arrival.length);
  });

  it('with either timing, an all_done return is −Σ slowdown', () => {
    for (const firstEntry of ['skip', 'play']) {
      const env = new ClusterSchedulingEnv({ preset: 'deeprm-train', observation: 'compact', firstEntry });
      env.reset({ seed: 5 });
      for (let e = 0; e < 4; e++) {
        const { rewards, metrics } = episode(env, sjf);
        expect(metrics.unfinished).toBe(0);
        expect(rewards.reduce((a, b) => a + b, 0)).toBeCloseTo(-metrics.slowdown * metrics.finished, 9);
      }
    }
  });

  it("a CSV job list with jobs at step 0 under 'skip' is refused, not dropped in silence", () => {
    const path = csvFile('0,2,5,1\n0,1,1,1\n4,2,1,1\n');
    expect(() => new ClusterSchedulingEnv({ workload: { type: 'csv', path } })).toThrow(
      /option 'firstEntry' is 'skip' \(set by preset 'deeprm-default'\), which never plays step 0 \(as DeepRM\), but the job list .*jobs\.csv has 2 job\(s\) arriving at step 0; accepted: firstEntry: 'play'/,
    );
    expect(() => new ClusterSchedulingEnv({ workload: { type: 'csv', path }, firstEntry: 'play' })).not.toThrow();
    expect(() => new ClusterSchedulingEnv({ workload: { type: 'csv', path: csvFile('1,2,5,1\n') } })).not.toThrow();
  });
});

describe('ClusterScheduling-v0 slowdownAll and jctAll: unfinished jobs count', () => {
  it('waiting and dropped jobs count as if started at the end (finish = end + len)', () => {
    // numSlots 1, no backlog: job A (len 2) placed at 0, B (len 4) waits in the slot, C (len 3) is dropped.
    const env = envWithJobs(['0,2,5,1', '0,4,9,1', '1,3,1,1'], { numSlots: 1, backlogSize: 0, simuLen: 3 });
    env.reset({ seed: 0 });
    env.step(0); // A placed, finishes at 2; B takes the slot
    env.step(1); // B does not fit: time 1; C dropped
    env.step(1); // time 2
    const r = env.step(1); // time 3: arrivals over
    expect(r.terminated).toBe(true);
    const m = r.info.metrics!;
    expect([m.finished, m.unfinished, m.dropped]).toEqual([1, 1, 1]);
    expect(m.slowdown).toBe(1);
    expect(m.jct).toBe(2);
    // A: (2 − 0)/2 = 1; B: (3 + 4 − 0)/4 = 1.75; C: (3 + 3 − 1)/3 = 5/3.
    expect(m.slowdownAll).toBeCloseTo((1 + 1.75 + 5 / 3) / 3, 12);
    expect(m.jctAll).toBeCloseTo((2 + 7 + 5) / 3, 12);
  });

  it('a policy that leaves jobs unfinished looks best on slowdown (placed jobs) but never on slowdownAll (quickstart settings)', () => {
    const env = make(quickstartCluster.env.id, quickstartCluster.env.options).unwrapped as ClusterSchedulingEnv;
    const mean = (policy: Policy, key: string) => {
      env.reset({ seed: 1 });
      let sum = 0;
      for (let e = 0; e < 20; e++) sum += episode(env, policy).metrics[key];
      return sum / 20;
    };
    // Placed jobs only: idling scores a perfect 0, though every job is left waiting.
    expect(mean(idle, 'slowdown')).toBe(0);
    expect(mean(idle, 'jct')).toBe(0);
    expect(mean(sjf, 'unfinished')).toBe(0);
    expect(mean(shortOnly, 'unfinished')).toBeGreaterThan(0);
    // Over all jobs they are far worse than SJF, which finishes every job.
    for (const key of ['slowdownAll', 'jctAll']) {
      expect(mean(sjf, key)).toBe(mean(sjf, key.slice(0, -3)));
      expect(mean(idle, key)).toBeGreaterThan(2 * mean(sjf, key));
      expect(mean(shortOnly, key)).toBeGreaterThan(1.5 * mean(sjf, key));
    }
  });
});

describe("the quickstart's cluster task", () => {
  const task = quickstartCluster;

  it('plays distinct job sequences in the episodes of each evaluation (the evaluator seeds the first reset only)', () => {
    for (const seed of spec.seeds) {
      const env = make(task.env.id, task.env.options).unwrapped as ClusterSchedulingEnv;
      const seen = new Set<string>();
      for (let e = 0; e < spec.evaluation.episodes; e++) {
        env.reset(e === 0 ? { seed: seed + spec.evaluation.seedOffset } : {});
        const s = env.sequence;
        seen.add(JSON.stringify([Array.from(s.arrival), Array.from(s.length), Array.from(s.demand)]));
      }
      expect(seen.size, `evaluation seed ${seed + spec.evaluation.seedOffset}`).toBe(spec.evaluation.episodes);
    }
  });

  it('ranks on slowdown and JCT over all jobs and shows the unfinished count', () => {
    const table = spec.tables.find((t) => t.name === 'cluster')!;
    expect(table.metrics.map((m) => m.metric)).toEqual(['slowdownAll', 'jctAll', 'unfinished']);
    expect(table.metrics[0].label).toMatch(/all jobs/);
  });
});
