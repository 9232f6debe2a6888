import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputFileError, InvalidActionError, OptionError, ResetNeededError } from '../../../core/errors.js';
import { checkEnv } from '../../../envs/core/checker/index.js';
import { make } from '../../../envs/index.js';
import {
  allocationAt,
  fgdScore,
  GpuClusterPlacementEnv,
  placementStateView,
  type PlacementStateView,
} from '../../../envs/placement/index.js';

const dir = mkdtempSync(join(tmpdir(), 'placement-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

const NODES = 'sn,cpu_milli,memory_mib,gpu,model\n';
const PODS = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\n';

/** Two 2-GPU T4 nodes and one 4-GPU V100M32 node. */
const smallNodes = file('nodes.csv', `${NODES}n0,32000,65536,2,T4\nn1,32000,65536,2,T4\nn2,64000,131072,4,V100M32\n`);

function view(info: Record<string, unknown>): PlacementStateView {
  const v = placementStateView(info);
  if (!v) throw new Error('no info.placement');
  return v;
}

describe('data/openb', () => {
  it('every bundled file has the md5 of md5sums.txt', () => {
    const root = join(import.meta.dirname, '..', '..', '..', 'data', 'openb');
    const lines = readFileSync(join(root, 'md5sums.txt'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(21);
    for (const line of lines) {
      const [md5, name] = line.split(/\s+/);
      expect(
        createHash('md5')
          .update(readFileSync(join(root, name)))
          .digest('hex'),
        name,
      ).toBe(md5);
    }
  });
});

describe('GpuClusterPlacement-v0 passes the env checker', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['openb-gpu, default workload (defaults)', {}],
    ['multigpu20 (no gpu_spec column), reward frag, gpuSelect best', { workload: 'multigpu20', reward: 'frag', gpuSelect: 'best' }],
    [
      'a small node CSV and a pod CSV',
      { nodes: smallNodes, workload: file('pods.csv', `${PODS}p0,1000,1024,1,500,\np1,2000,1024,0,0,\np2,1000,1024,2,1000,T4\n`), tune: 1 },
    ],
  ];
  it.each(cases)('%s', (_name, options) => {
    const report = checkEnv(new GpuClusterPlacementEnv(options));
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.warnings).toEqual([]);
  });
});

describe('GpuClusterPlacement-v0 dynamics', () => {
  it('spaces, the mask, the view, rewards summing to the allocation ratio, metrics at the end', () => {
    const env = make('GpuClusterPlacement-v0', { tune: 0.1 });
    expect(env.observationSpace.shape).toEqual([1213, 24]);
    let { observation, info } = env.reset({ seed: 7 });
    expect(observation.length).toBe(1213 * 24);
    let ret = 0;
    let steps = 0;
    for (;;) {
      const v = view(info);
      const mask = info.actionMask!;
      let valid = 0;
      for (let i = 0; i < mask.length; i++) valid += mask[i];
      expect(valid).toBe(v.validCount);
      // The first valid node (no policy needed for the dynamics).
      const a = mask.indexOf(1);
      const r = env.step(a);
      ret += r.reward;
      steps++;
      observation = r.observation;
      info = r.info;
      if (r.terminated) break;
    }
    const m = info.metrics!;
    expect(ret * 100).toBeCloseTo(m.gpu_allocation, 9);
    expect(m.decisions).toBe(steps);
    expect(m.pods).toBe(m.placed_pods + m.failed_pods);
    expect(m.arrived_gpu).toBeLessThanOrEqual(10);
    expect(m.arrived_gpu).toBeGreaterThan(9.5);
    expect(m.gpu_allocation_10).toBeCloseTo(m.gpu_allocation, 0);
    expect(m.gpu_allocation_100).toBeUndefined();
    expect(m.decision_time_ms).toBeUndefined();
    expect(() => env.step(0)).toThrow(ResetNeededError);
  });

  it('the same seed gives the same pod sequence; a larger tune extends it', () => {
    const seq = (tune: number) => {
      const env = new GpuClusterPlacementEnv({ tune });
      env.reset({ seed: 3 });
      return Array.from((env as unknown as { sequence: Int32Array }).sequence);
    };
    // default asks for 0.98 x the capacity: both tunes inflate it (a smaller tune would thin it instead).
    const a = seq(1.1);
    expect(seq(1.1)).toEqual(a);
    const b = seq(1.3);
    expect(b.slice(0, a.length)).toEqual(a.slice(0, a.length));
    expect(b.length).toBeGreaterThan(a.length);
  });

  it('a masked action is an InvalidActionError', () => {
    const env = new GpuClusterPlacementEnv({ nodes: smallNodes, workload: file('big.csv', `${PODS}p0,1000,1024,4,1000,\n`), tune: 1 });
    const { info } = env.reset({ seed: 0 });
    expect(Array.from(info.actionMask!)).toEqual([0, 0, 1]);
    expect(() => env.step(0)).toThrow(InvalidActionError);
    expect(() => env.step(3)).toThrow(InvalidActionError);
    expect(() => env.step(1.5)).toThrow(InvalidActionError);
  });

  it('the GPU of a sharing pod: best-fit by default, the declared rule under gpuSelect policy, best-fit always under best', () => {
    // Pods in name order (shufflePods false), then inflation samples; only the first three are placed.
    const pods = file('share.csv', `${PODS}a,100,10,1,300,\nb,100,10,1,600,\nc,100,10,1,200,\n`);
    const run = (gpuSelect: string, rule: 'best' | 'fgd' | null) => {
      const env = new GpuClusterPlacementEnv({ nodes: smallNodes, workload: pods, tune: 1, shufflePods: false, gpuSelect });
      env.reset({ seed: 0 });
      for (let k = 0; k < 3; k++) env.step(rule ? { node: 0, gpuRule: rule } : 0);
      return Array.from(env.cluster.gpuLeft.subarray(0, 2));
    };
    // best: 300 on GPU0 (700 left), 600 on GPU0 (100 left), 200 on GPU1 (the only one that fits).
    expect(run('policy', null)).toEqual([100, 800]);
    expect(run('best', 'fgd')).toEqual([100, 800]);
    expect(run('policy', 'best')).toEqual([100, 800]);
  });

  it('the state view is data: a frozen snapshot that later steps do not change and a structured clone keeps', () => {
    const env = new GpuClusterPlacementEnv({
      nodes: smallNodes,
      workload: file('v.csv', `${PODS}a,100,10,1,300,\nb,100,10,1,600,\n`),
      tune: 1,
      shufflePods: false,
    });
    const { info } = env.reset({ seed: 0 });
    const v = view(info);
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.pod)).toBe(true);
    const walk = (x: unknown): void => {
      expect(typeof x).not.toBe('function');
      if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) for (const y of Object.values(x)) walk(y);
    };
    walk(v);
    const before = structuredClone(v);
    expect(before).toEqual(v);
    const after = view(env.step(0).info);
    expect(v).toEqual(before);
    expect(after.gpuLeft[0]).toBe(700);
    expect(v.gpuLeft[0]).toBe(1000);
    // The episode's tie order is not rewritten by the next reset.
    const rank = Array.from(v.tieRank);
    env.reset({ seed: 1 });
    expect(Array.from(v.tieRank)).toEqual(rank);
  });

  it('action forms: {node, gpuRule}, {candidates, gpuRule} drawn from the tie-break stream, clear errors', () => {
    const pods = file('forms.csv', `${PODS}a,100,10,1,300,\nb,100,10,1,600,\nc,100,10,1,200,\n`);
    const make1 = () => new GpuClusterPlacementEnv({ nodes: smallNodes, workload: pods, tune: 1, shufflePods: false });
    // A plain index is {node} with the best-fit GPU.
    const a = make1();
    const b = make1();
    a.reset({ seed: 4 });
    b.reset({ seed: 4 });
    expect(a.step(2).observation).toEqual(b.step({ node: 2 }).observation);
    // A draw over one candidate is that node; over all it is the k-th of the list for k = ⌊u·n⌋ with u the
    // stream's next draw: two envs with the same seed agree, and the draw picks among the candidates only.
    const picks = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const e = make1();
      e.reset({ seed });
      e.step({ candidates: [1, 2] });
      const left = Array.from(e.cluster.gpuLeft);
      picks.add(left[8] < 1000 ? 1 : 2);
      const f = make1();
      f.reset({ seed });
      f.step({ candidates: [1, 2] });
      expect(Array.from(f.cluster.gpuLeft)).toEqual(left);
    }
    expect([...picks].sort()).toEqual([1, 2]);
    const e = make1();
    const { info } = e.reset({ seed: 0 });
    expect(Array.from(info.actionMask!)).toEqual([1, 1, 1]);
    const bad: [unknown, RegExp][] = [
      [
        '0',
        /action "0" is not an action; accepted: a node index where the pod fits \(info.actionMask\), \{node, gpuRule\?\} or \{candidates, gpuRule\?\}/,
      ],
      [{ node: 3 }, /action.node 3 is not in Discrete\(3\)/],
      [{ node: 0, gpuRule: 'worst' }, /action.gpuRule "worst" is not a GPU rule; accepted: 'best' \| 'random' \| 'fgd'/],
      [{ nodes: [0] }, /has neither 'node' nor 'candidates'/],
      [{ candidates: [] }, /action.candidates is \[\]; accepted: a non-empty array of distinct nodes where the pod fits/],
      [{ candidates: [0, 1, 0] }, /lists node 0 twice/],
      [{ candidates: [0, 7] }, /action.candidates\[1\] 7 is not in Discrete\(3\)/],
    ];
    for (const [action, message] of bad) {
      expect(() => e.step(action as number), JSON.stringify(action)).toThrow(InvalidActionError);
      expect(() => e.step(action as number)).toThrow(message);
    }
    // Rejected actions drew nothing: the env still plays as a fresh one.
    const fresh = make1();
    fresh.reset({ seed: 0 });
    expect(e.step({ candidates: [0, 1, 2], gpuRule: 'random' }).observation).toEqual(
      fresh.step({ candidates: [0, 1, 2], gpuRule: 'random' }).observation,
    );
  });

  it('whole-GPU pods take the first fully free GPUs by index', () => {
    const pods = file('whole.csv', `${PODS}a,100,10,1,500,\nb,100,10,2,1000,\n`);
    const env = new GpuClusterPlacementEnv({ nodes: smallNodes, workload: pods, tune: 0.4, shufflePods: false });
    env.reset({ seed: 0 });
    env.step(2);
    env.step(2);
    expect(Array.from(env.cluster.gpuLeft.subarray(16, 20))).toEqual([500, 0, 0, 1000]);
  });

  it('a pod that fits nowhere is dropped and counted by class without a decision', () => {
    const pods = file('drop.csv', `${PODS}a,100,10,8,1000,\nb,100,10,1,1000,V100M32\nc,100,10,0,0,\n`);
    const env = new GpuClusterPlacementEnv({ nodes: smallNodes, workload: pods, tune: 2, shufflePods: false });
    const { info } = env.reset({ seed: 0 });
    // The 8-GPU pod is dropped before the first decision: the pending pod is the V100M32 one.
    expect(view(info).pod.num).toBe(1);
    expect(Array.from(info.actionMask!)).toEqual([0, 0, 1]);
    let r = env.step(2);
    while (!r.terminated) r = env.step(r.info.actionMask!.indexOf(1));
    expect(r.info.metrics!.failed_pods_8gpu).toBeGreaterThanOrEqual(1);
    expect(r.info.metrics!.failed_pods).toBe(r.info.metrics!.pods - r.info.metrics!.placed_pods);
  });

  it('timing: true adds decision_time_ms', () => {
    const env = new GpuClusterPlacementEnv({
      nodes: smallNodes,
      workload: file('t.csv', `${PODS}a,100,10,1,1000,\n`),
      tune: 0.2,
      timing: true,
    });
    const { info } = env.reset({ seed: 0 });
    const r = env.step(info.actionMask!.indexOf(1));
    expect(r.terminated).toBe(true);
    expect(r.info.metrics!.decision_time_ms).toBeGreaterThanOrEqual(0);
  });
});

describe('the reference analysis helpers', () => {
  it('allocationAt: mean over the arrivals whose share rounds to x (half to even), else within 1 %', () => {
    const arrived = Float64Array.from([50, 100, 149, 250, 400]);
    const allocated = Float64Array.from([50, 100, 100, 200, 300]);
    // shares of 1000: 5, 10, 14.9 -> 15, 25 -> 24 (half to even), 40
    expect(allocationAt(arrived, allocated, 5, 1000, 10)).toBe(10);
    expect(allocationAt(arrived, allocated, 5, 1000, 24)).toBe(20);
    expect(allocationAt(arrived, allocated, 5, 1000, 16)).toBe(10);
    expect(allocationAt(arrived, allocated, 5, 1000, 30)).toBeNaN();
  });

  it("fgdScore: the reference's int64(sigmoid(Δ/1000)·100)", () => {
    expect(fgdScore(1000, 1000)).toBe(50);
    expect(fgdScore(1088, 1141)).toBe(48);
    expect(fgdScore(1369, 1082)).toBe(57);
  });
});

describe('bad input: clear errors naming file, line and field', () => {
  const make0 = (options: Record<string, unknown>) => () => new GpuClusterPlacementEnv(options);
  const err = (f: () => unknown): Error => {
    try {
      f();
    } catch (e) {
      return e as Error;
    }
    throw new Error('no error');
  };

  it('node CSV: missing column, negative or non-numeric resource, unknown model', () => {
    let e = err(make0({ nodes: file('n1.csv', 'sn,cpu_milli,gpu,model\nn0,1000,1,T4\n') }));
    expect(e).toBeInstanceOf(InputFileError);
    expect(e.message).toMatch(/n1\.csv:1 \(field memory_mib\): missing column 'memory_mib'/);
    e = err(make0({ nodes: file('n2.csv', `${NODES}n0,1000,1024,1,T4\nn1,-5,1024,1,T4\n`) }));
    expect(e.message).toMatch(/n2\.csv:3 \(field cpu_milli\): is -5; must be > 0 \(negative resources are not accepted\)/);
    e = err(make0({ nodes: file('n3.csv', `${NODES}n0,1000,lots,1,T4\n`) }));
    expect(e.message).toMatch(/n3\.csv:2 \(field memory_mib\): 'lots' is not a number/);
    e = err(make0({ nodes: file('n4.csv', `${NODES}n0,1000,1024,2,H100\n`) }));
    expect(e.message).toMatch(
      /n4\.csv:2 \(field model\): unknown GPU model 'H100'; known models: A10, G1, G2, G3, P100, T4, V100M16, V100M32/,
    );
    e = err(make0({ nodes: file('n5.csv', `${NODES}n0,1000,1024,9,T4\n`) }));
    expect(e.message).toMatch(/n5\.csv:2 \(field gpu\): is 9; must be <= 8/);
  });

  it('pod CSV: missing column, negative or non-numeric resource, unknown model, inconsistent GPU fields, empty workload', () => {
    const w = (name: string, text: string) => make0({ nodes: smallNodes, workload: file(name, text) });
    let e = err(w('p1.csv', 'name,cpu_milli,num_gpu,gpu_milli\np0,1,0,0\n'));
    expect(e).toBeInstanceOf(InputFileError);
    expect(e.message).toMatch(/p1\.csv:1 \(field memory_mib\): missing column/);
    e = err(w('p2.csv', `${PODS}p0,100,10,1,500,\np1,100,-1,1,500,\n`));
    expect(e.message).toMatch(/p2\.csv:3 \(field memory_mib\): is -1; must be >= 0/);
    e = err(w('p3.csv', `${PODS}p0,abc,10,1,500,\n`));
    expect(e.message).toMatch(/p3\.csv:2 \(field cpu_milli\): 'abc' is not a number/);
    e = err(w('p4.csv', `${PODS}p0,100,10,1,500,T4|X9\n`));
    expect(e.message).toMatch(/p4\.csv:2 \(field gpu_spec\): unknown GPU model 'X9'/);
    e = err(w('p5.csv', `${PODS}p0,100,10,2,500,\n`));
    expect(e.message).toMatch(/p5\.csv:2 \(field gpu_milli\): is 500 for a pod with num_gpu 2/);
    e = err(w('p6.csv', `${PODS}p0,100,10\n`));
    expect(e.message).toMatch(/p6\.csv:2 \(field num_gpu\): has 3 fields/);
    e = err(w('p7.csv', PODS));
    expect(e.message).toMatch(/p7\.csv: is an empty workload: a header but no pod/);
    e = err(w('p8.csv', ''));
    expect(e.message).toMatch(/p8\.csv: is empty/);
    e = err(w('p9.csv.gz', `${PODS}p0,100,10,1,1500,\n`));
    expect(e.message).toMatch(/p9\.csv\.gz:2 \(field gpu_milli\): is 1500; must be <= 1000/);
  });

  it('options: tune <= 0, unknown workload, unknown option', () => {
    for (const tune of [0, -1]) {
      const e = err(make0({ tune }));
      expect(e).toBeInstanceOf(OptionError);
      expect(e.message).toMatch(/GpuClusterPlacement-v0: option 'tune' is -?\d+, out of range; accepted: a number > 0/);
    }
    let e = err(make0({ workload: 'gpushare50' }));
    expect(e).toBeInstanceOf(OptionError);
    expect(e.message).toMatch(
      /option 'workload' is 'gpushare50': no such file .*accepted: 'default', a variant \(cpu050, .*\) or the path of a pod CSV/,
    );
    e = err(() =>
      new GpuClusterPlacementEnv({ nodes: smallNodes, workload: file('cpuonly.csv', `${PODS}p0,100,10,0,0,\n`) }).reset({ seed: 0 }),
    );
    expect(e.message).toMatch(/option 'workload' is 'cpuonly' requests no GPU|requests no GPU, so it cannot be inflated/);
    e = err(make0({ reward: 'slowdown' }));
    expect(e.message).toMatch(/option 'reward' is 'slowdown'; accepted: 'allocation' \| 'frag'/);
    e = err(make0({ nodez: 'x' }));
    expect(e.message).toMatch(/option 'nodez' is not an option/);
  });
});
