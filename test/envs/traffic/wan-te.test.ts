import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFileError, OptionError, SchedlabError } from '../../../core/errors.js';
import { make } from '../../../envs/core/registry.js';
import '../../../envs/traffic/index.js';
import { checkEnv } from '../../../envs/core/checker/check-env.js';
import { loadTopology } from '../../../envs/traffic/topology.js';
import { actionForSplits, LOGIT_BOUND, readTrafficState, WanTrafficEngineeringEnv, type WanAction } from '../../../envs/traffic/wan-te.js';

const ID = 'WanTrafficEngineering-v0';
const dir = mkdtempSync(join(tmpdir(), 'wan-te-'));

/** A 3-node ring (both directions), capacities 10. */
const ring = {
  nodes: ['a', 'b', 'c'],
  links: [
    { source: 'a', target: 'b', capacity: 10 },
    { source: 'b', target: 'a', capacity: 10 },
    { source: 'b', target: 'c', capacity: 10 },
    { source: 'c', target: 'b', capacity: 10 },
    { source: 'c', target: 'a', capacity: 10 },
    { source: 'a', target: 'c', capacity: 10 },
  ],
};

function raw(options: Record<string, unknown> = {}): WanTrafficEngineeringEnv {
  return new WanTrafficEngineeringEnv(options);
}

describe('WanTrafficEngineering-v0', () => {
  it('passes the env checker (default options and paths mode)', () => {
    for (const options of [{}, { topology: 'abilene', actionMode: 'paths', history: 2 }]) {
      const report = checkEnv(make(ID, options).unwrapped);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.passed).toBe(true);
    }
  });

  it('has the documented spaces: history × n(n−1) + links observations, k logits per pair', () => {
    const env = raw();
    expect(env.observationSpace.shape).toEqual([12 * 132 + 38]);
    expect(env.actionSpace.toJSON()).toMatchObject({ type: 'Box', shape: [132 * 4], dtype: 'float64' });
    const ab = raw({ topology: 'abilene', actionMode: 'paths' });
    expect(ab.actionSpace.toJSON()).toMatchObject({ type: 'MultiDiscrete' });
    expect(ab.observationSpace.shape).toEqual([12 * 132 + 30]);
  });

  it('splits train = first 75 %, test = the rest; episodes run to the end of the split', () => {
    const train = raw({ split: 'train' });
    const test = raw({ split: 'test' });
    expect(train.range('train')).toEqual([0, 27]);
    expect(test.range('test')).toEqual([27, 36]);
    for (const [env, first, length] of [
      [train, 0, 27],
      [test, 27, 9],
    ] as const) {
      let { info } = env.reset({ seed: 1 });
      expect(readTrafficState(info, 't').index).toBe(first);
      const zero = new Float64Array(528);
      let steps = 0;
      const seen: number[] = [];
      for (;;) {
        const r = env.step(zero);
        steps++;
        seen.push(r.info.index as number);
        info = r.info;
        if (r.terminated) break;
        expect(r.truncated).toBe(false);
      }
      expect(steps).toBe(length);
      expect(seen[0]).toBe(first);
      expect(seen[seen.length - 1]).toBe(first + length - 1);
      expect(Object.keys(info.metrics!).sort()).toEqual(
        ['congestion', 'mlu_max', 'mlu_mean', 'optk_ratio_mean', 'ratio_max', 'ratio_mean', 'ratio_p50', 'ratio_p90', 'ratio_p99'].sort(),
      );
    }
  });

  it('the observation holds the last `history` matrices (diagonal dropped, in units of the mean capacity) then the previous utilisation', () => {
    const env = raw({ split: 'test', history: 2 });
    const matrices = env.problem.series.matrices;
    const { observation } = env.reset({ seed: 0 });
    const n = 12;
    // Matrix 26 (the last of the train split) is the newest history row before matrix 27.
    expect(observation[132 + 0]).toBeCloseTo(matrices[26][0 * n + 1], 5);
    expect(observation[132 + 11]).toBeCloseTo(matrices[26][1 * n + 0], 5);
    expect(observation[0 + 131]).toBeCloseTo(matrices[25][11 * n + 10], 5);
    expect([...observation.subarray(264)].every((x) => x === 0)).toBe(true);
    const step = env.step(new Float64Array(528));
    const util = step.info.utilization as Float64Array;
    expect(step.observation[264 + 5]).toBeCloseTo(util[5], 5);
    expect(step.observation[132 + 7]).toBeCloseTo(env.problem.pairDemand[27][7], 5);
    // Raw CSV demand / 5,000.
    expect(matrices[0][1]).toBeCloseTo(9.771513125 / 5000, 15);
    // Before the series starts: zeros.
    const first = raw({ split: 'train', history: 3 }).reset({ seed: 0 }).observation;
    expect([...first.subarray(0, 3 * 132)].every((x) => x === 0)).toBe(true);
  });

  it('reward −MLU/OPT (ratio) or −MLU, with the info of the step', () => {
    const a = raw({ split: 'test' });
    const b = raw({ split: 'test', reward: 'mlu' });
    a.reset({ seed: 0 });
    b.reset({ seed: 0 });
    const x = new Float64Array(528);
    const ra = a.step(x);
    const rb = b.step(x);
    expect(ra.reward).toBeCloseTo(-(ra.info.mlu as number) / (ra.info.opt as number), 12);
    expect(rb.reward).toBeCloseTo(-(rb.info.mlu as number), 12);
    expect(ra.info.ratio).toBeCloseTo((ra.info.mlu as number) / (ra.info.opt as number), 12);
    expect(ra.info.optK).toBeCloseTo(ra.info.opt as number, 9);
    const util = ra.info.utilization as Float64Array;
    const max = ra.info.maxLink as { link: number; utilization: number };
    expect(util[max.link]).toBe(Math.max(...util));
    expect(max.utilization).toBe(ra.info.mlu);
  });

  it('episodeLength: a seeded start inside the split, the same for the same seed; reset option start fixes it', () => {
    const env = raw({ split: 'train', episodeLength: 5 });
    const starts = new Set<number>();
    for (let seed = 0; seed < 20; seed++) starts.add(readTrafficState(env.reset({ seed }).info, 't').index);
    expect([...starts].every((s) => s >= 0 && s <= 22)).toBe(true);
    expect(starts.size).toBeGreaterThan(3);
    expect(readTrafficState(env.reset({ seed: 3 }).info, 't').index).toBe(readTrafficState(env.reset({ seed: 3 }).info, 't').index);
    expect(readTrafficState(env.reset({ options: { start: 10 } }).info, 't').index).toBe(10);
    expect(() => env.reset({ options: { start: 23 } })).toThrow(/start' is 23.*\[0, 22\]/);
    expect(() => raw({ split: 'test', episodeLength: 10 })).toThrow(/longer than the 'test' split \(9 matrices\)/);
  });

  it('a logit at the lower bound switches a path off; a known split maps exactly onto logits (actionForSplits)', () => {
    const env = raw({ split: 'test' });
    const { info } = env.reset({ seed: 0 });
    const view = readTrafficState(info, 't');
    const w = new Float64Array(528);
    for (let p = 0; p < 132; p++) {
      w[p * 4] = 0.25;
      w[p * 4 + 2] = 0.75;
    }
    const action = actionForSplits(view, w) as Float64Array;
    expect(action[1]).toBe(-LOGIT_BOUND);
    const step = env.step(action);
    // Same loads as computed directly from the weights.
    const util = env.problem.utilization(27, w, new Float64Array(38));
    expect(step.info.mlu).toBeCloseTo(Math.max(...util), 14);
  });

  it('paths mode routes each pair on one path', () => {
    const env = raw({ split: 'test', actionMode: 'paths' });
    env.reset({ seed: 0 });
    const zeros = new Int32Array(132);
    const r = env.step(zeros);
    const w = new Float64Array(528);
    for (let p = 0; p < 132; p++) w[p * 4] = 1;
    expect(r.info.mlu).toBeCloseTo(Math.max(...env.problem.utilization(27, w, new Float64Array(38))), 14);
    expect(() => env.step(new Int32Array(132).fill(7) as WanAction)).toThrow(/not in MultiDiscrete/);
  });

  it('gravity traffic is seeded by its own options, and a user topology and CSV work', () => {
    const a = raw({ topology: 'uscarrier', k: 1, history: 1 });
    const b = raw({ topology: 'uscarrier', k: 1, history: 1 });
    expect(a.problem.series.matrices[3]).toEqual(b.problem.series.matrices[3]);
    expect(a.problem).toBe(b.problem); // one shared problem (and LP cache) per topology, series and k
    const topoFile = join(dir, 'ring.json');
    writeFileSync(topoFile, JSON.stringify(ring));
    const csv = join(dir, 'ring.csv');
    writeFileSync(
      csv,
      'a_a,a_b,a_c,b_a,b_b,b_c,c_a,c_b,c_c\n0,5,0,0,0,0,0,0,0\n0,10,10,0,0,0,0,0,0\n0,1,1,1,0,1,1,1,0\n0,20,0,0,0,0,0,0,0\n',
    );
    const env = raw({ topology: topoFile, traffic: csv, split: 'all', history: 1 });
    env.reset({ seed: 0 });
    const r = env.step(new Float64Array(6 * 4)); // even splits over a->b and a->c->b
    // OPT: 5 split over the direct link and the two-hop path: 2.5 / 10.
    expect(r.info.opt).toBeCloseTo(0.25, 9);
    expect(r.info.mlu).toBeCloseTo(0.25, 9);
    expect(r.reward).toBeCloseTo(-1, 9);
  });
});

describe('WanTrafficEngineering-v0: bad input', () => {
  it('a topology with a disconnected OD pair', () => {
    const topo = {
      nodes: [0, 1, 2],
      links: [
        { source: 0, target: 1, capacity: 1 },
        { source: 1, target: 0, capacity: 1 },
        { source: 1, target: 2, capacity: 1 },
      ],
    };
    expect(() => loadTopology(topo)).toThrow(SchedlabError);
    expect(() => raw({ topology: topo })).toThrow(/OD pair 2 -> 0 is disconnected/);
  });

  it('a non-positive capacity (and other malformed links) name the link', () => {
    const bad = (capacity: unknown) => ({
      nodes: ['a', 'b'],
      links: [
        { source: 'a', target: 'b', capacity },
        { source: 'b', target: 'a', capacity: 1 },
      ],
    });
    expect(() => loadTopology(bad(0))).toThrow(/links\[0\] \(a -> b\) has capacity 0; a capacity must be a finite number > 0/);
    expect(() => loadTopology(bad(-3))).toThrow(/capacity -3/);
    expect(() => loadTopology(bad('10'))).toThrow(/capacity "10"/);
    expect(() => loadTopology({ nodes: ['a', 'b'], links: [{ source: 'a', target: 'z', capacity: 1 }] })).toThrow(
      /links\[0\].target 'z' is not a node/,
    );
    expect(() => raw({ topology: 'b5' })).toThrow(OptionError);
    expect(() => raw({ topology: 'b5' })).toThrow(/neither a bundled topology nor an existing file/);
  });

  it('a matrix of the wrong size', () => {
    expect(() =>
      raw({
        topology: ring,
        traffic: [
          [
            [0, 1],
            [1, 0],
          ],
        ],
        split: 'all',
        history: 1,
      }),
    ).toThrow(/option 'traffic\[0\]' is a 2×2 matrix; accepted: an 3×3 matrix/);
    expect(() => raw({ topology: ring, traffic: [[0, 1, 2, 3]], split: 'all', history: 1 })).toThrow(/traffic\[0\]' has 4 entries/);
    expect(() => raw({ topology: 'abilene', traffic: 'teal-b4-real' })).toThrow(/the B4 matrices, but the topology is 'abilene'/);
  });

  it('negative or non-numeric demands', () => {
    expect(() => raw({ topology: ring, traffic: [[0, -1, 0, 0, 0, 0, 0, 0, 0]], split: 'all', history: 1 })).toThrow(
      /-1 at d_0_1; demands must be non-negative/,
    );
    expect(() => raw({ topology: ring, traffic: [[0, 'x', 0, 0, 0, 0, 0, 0, 0]], split: 'all', history: 1 })).toThrow(/"x" at d_0_1/);
    const csv = join(dir, 'neg.csv');
    writeFileSync(csv, '0,1,2,3,0,5,6,7,0\n0,1,2,3,0,-5,6,7,0\n');
    expect(() => raw({ topology: ring, traffic: csv, split: 'all' })).toThrow(InputFileError);
    expect(() => raw({ topology: ring, traffic: csv, split: 'all' })).toThrow(
      `${csv}:2 (field d_1_2, column 6): is -5; demands must be non-negative`,
    );
    writeFileSync(csv, '0,1,2,3,0,5,6,7,0\n0,1,2,3,0,abc,6,7,0\n');
    expect(() => raw({ topology: ring, traffic: csv, split: 'all' })).toThrow(
      `${csv}:2 (field d_1_2, column 6): is 'abc', not a finite number`,
    );
  });

  it('a CSV row with the wrong number of fields names the file, line and field', () => {
    const csv = join(dir, 'short.csv');
    writeFileSync(csv, '# demands\n0,1,2,3,0,5,6,7,0\n0,1,2,3,0,5,6,7\n');
    expect(() => raw({ topology: ring, traffic: csv, split: 'all' })).toThrow(`${csv}:3 (field d_2_2, column 9): has 8 fields, expected 9`);
    writeFileSync(csv, '0,1,2,3,0,5,6,7,0,9\n');
    expect(() => raw({ topology: ring, traffic: csv, split: 'all' })).toThrow(`${csv}:1 (field column 10): has 10 fields, expected 9`);
  });

  it('k < 1, and other options out of range', () => {
    expect(() => raw({ k: 0 })).toThrow(OptionError);
    expect(() => raw({ k: 0 })).toThrow(/option 'k' is 0, out of range; accepted: an integer >= 1/);
    expect(() => raw({ history: 0 })).toThrow(/option 'history'/);
    expect(() => raw({ split: 'validation' })).toThrow(/option 'split' is 'validation'; accepted: 'train' \| 'test' \| 'all'/);
    expect(() => raw({ demandScale: 0 })).toThrow(/option 'demandScale'/);
    expect(() => raw({ actionMode: 'weights' })).toThrow(/option 'actionMode'/);
    expect(() => raw({ kk: 3 })).toThrow(/option 'kk' is not an option/);
  });

  it('bad actions and stepping without reset', () => {
    const env = raw({ split: 'test' });
    expect(() => env.step(new Float64Array(528))).toThrow(/call reset\(\) before step\(\)/);
    env.reset({ seed: 0 });
    expect(() => env.step(new Float64Array(3))).toThrow(/action must be 528 logits/);
    expect(() => env.step(new Float64Array(528).fill(NaN))).toThrow(/is NaN/);
  });
});
