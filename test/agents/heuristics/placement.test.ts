import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bestFitScore,
  dotProductScore,
  fgdNodeScore,
  gpuClusteringScore,
  gpuPackingScore,
  PlacementRandomAgent,
  ViewFragmentation,
} from '../../../agents/heuristics/placement/index.js';
import { makeAgent } from '../../../agents/index.js';
import { SchedlabError } from '../../../core/errors.js';
import { make } from '../../../envs/index.js';
import {
  fgdScore,
  fragAfterPod,
  GpuClusterPlacementEnv,
  MAX_GPUS_PER_NODE,
  nodeFragScore,
  placementStateView,
  type NodeShape,
  type PlacementAction,
  type PlacementStateView,
} from '../../../envs/placement/index.js';

const dir = mkdtempSync(join(tmpdir(), 'placement-agents-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const nodes = file('nodes.csv', 'sn,cpu_milli,memory_mib,gpu,model\nn0,32000,65536,2,T4\nn1,32000,65536,2,T4\nn2,64000,131072,4,V100M32\n');
// In name order (shufflePods false): a 300-milli sharing pod, then a 600-milli one, then a CPU pod.
const pods = file('pods.csv', 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\na,100,10,1,300,\nb,100,10,1,600,\nc,100,10,0,0,\n');
const POLICIES = ['random', 'dot-prod', 'gpu-clustering', 'gpu-packing', 'best-fit', 'fgd'] as const;

function view(info: Record<string, unknown>): PlacementStateView {
  const v = placementStateView(info);
  if (!v) throw new Error('no info.placement');
  return v;
}

/** The state after pod a went to node 0 (GPU 0: 700 left); pod b (600 milli) is pending. */
function afterFirstPod(): PlacementStateView {
  const env = make('GpuClusterPlacement-v0', { nodes, workload: pods, tune: 1, shufflePods: false });
  env.reset({ seed: 0 });
  return view(env.step(0).info);
}

describe('placement heuristics: the reference scores (integer arithmetic)', () => {
  const v = afterFirstPod();

  it('the state: pod b pending, node 0 with 700 + 1000 free', () => {
    expect(v.pod.milli).toBe(600);
    expect(Array.from(v.gpuLeft.subarray(0, 2))).toEqual([700, 1000]);
  });

  it('GpuPacking: shared GPU 100 − ⌊70⌋/10, fully free node max(33 − free, free)', () => {
    expect([0, 1, 2].map((i) => gpuPackingScore(v, i))).toEqual([93, 31, 29]);
  });

  it('BestFit: ⌊100 (1 − ½ ΔCPU/128 − ½ ΔGPU/8)⌋', () => {
    expect([0, 1, 2].map((i) => bestFitScore(v, i))).toEqual([80, 78, 53]);
  });

  it('DotProd (merge, max): ⌊100 (1 − dot/2)⌋', () => {
    expect([0, 1, 2].map((i) => dotProductScore(v, i))).toEqual([99, 99, 98]);
  });

  it('GpuClustering: same tag alone (75 +), empty node (25 +), 25·used/8 GPUs', () => {
    expect([0, 1, 2].map((i) => gpuClusteringScore(v, i))).toEqual([94, 43, 37]);
  });

  it('FGD: ⌊100 sigmoid((frag now − frag after)/1000)⌋ from the view’s data (the pure measure, memoised)', () => {
    const frag = new ViewFragmentation();
    frag.sync(v);
    for (const i of [0, 1, 2]) {
      const base = i * MAX_GPUS_PER_NODE;
      const node: NodeShape = {
        cpuLeft: v.cpuLeft[i],
        gpuLeft: Array.from(v.gpuLeft.subarray(base, base + v.gpuCount[i])),
        model: v.model[i],
      };
      expect(frag.nodeFrag(i)).toBe(nodeFragScore(node, v.typical));
      expect(frag.fragAfter(v, i)).toBe(fragAfterPod(node, v.pod, v.typical));
      expect(fgdNodeScore(v, i, frag)).toBe(fgdScore(nodeFragScore(node, v.typical), fragAfterPod(node, v.pod, v.typical)));
    }
    // The sharing pod's frag after is the best GPU's: node 0 with 700 + 1000 free takes 600 on GPU 0 or 1.
    const n0: NodeShape = { cpuLeft: v.cpuLeft[0], gpuLeft: [700, 1000], model: v.model[0] };
    expect(fragAfterPod(n0, v.pod, v.typical)).toBe(
      Math.min(
        nodeFragScore({ ...n0, cpuLeft: n0.cpuLeft - 100, gpuLeft: [100, 1000] }, v.typical),
        nodeFragScore({ ...n0, cpuLeft: n0.cpuLeft - 100, gpuLeft: [700, 400] }, v.typical),
      ),
    );
  });

  it('FGD on the env equals its own scores recomputed from scratch on every view (the cache only saves time)', () => {
    const env = make('GpuClusterPlacement-v0', { nodes, workload: pods, tune: 1.3 });
    const agent = makeAgent('fgd', env);
    let { observation, info } = env.reset({ seed: 3 });
    for (;;) {
      const w = view(info);
      const action = agent.act(observation, { info }) as { node: number; gpuRule: string };
      let best = -1;
      let chosen = -1;
      for (let i = 0; i < w.numNodes; i++) {
        if (!w.mask[i]) continue;
        const base = i * MAX_GPUS_PER_NODE;
        const node: NodeShape = {
          cpuLeft: w.cpuLeft[i],
          gpuLeft: Array.from(w.gpuLeft.subarray(base, base + w.gpuCount[i])),
          model: w.model[i],
        };
        const s = fgdScore(nodeFragScore(node, w.typical), fragAfterPod(node, w.pod, w.typical));
        if (s > best || (s === best && w.tieRank[i] < w.tieRank[chosen])) [best, chosen] = [s, i];
      }
      expect(action).toEqual({ node: chosen, gpuRule: 'fgd' });
      const r = env.step(action);
      if (r.terminated) break;
      ({ observation, info } = r);
    }
  });
});

describe('placement heuristics as agents', () => {
  it.each(POLICIES)('%s plays a whole episode choosing only valid nodes, deterministically per seed', (name) => {
    const play = () => {
      const env = make('GpuClusterPlacement-v0', { nodes, workload: pods, tune: 1.3 });
      const agent = makeAgent(name, env, {}, { seed: 0 });
      let { observation, info } = env.reset({ seed: 5 });
      const actions: PlacementAction[] = [];
      for (;;) {
        const a = agent.act(observation, { info, mask: info.actionMask }) as PlacementAction;
        const nodes = typeof a === 'number' ? [a] : 'node' in a ? [a.node] : Array.from(a.candidates);
        for (const i of nodes) expect(info.actionMask![i]).toBe(1);
        actions.push(a);
        const r = env.step(a);
        if (r.terminated) return { actions, allocation: r.info.metrics!.gpu_allocation };
        ({ observation, info } = r);
      }
    };
    const first = play();
    expect(play()).toEqual(first);
    expect(first.allocation).toBeGreaterThan(0);
  });

  it('random on the placement env is the placement Random (uniform valid node, random shared GPU)', () => {
    const env = make('GpuClusterPlacement-v0', { nodes, workload: pods });
    expect(makeAgent('random', env, {}, { seed: 0 })).toBeInstanceOf(PlacementRandomAgent);
  });

  it('ties go to the node of lowest tieRank (the reference keeps the smallest randomly prefixed name)', () => {
    const workload = file('cpu.csv', 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\na,100,10,0,0,\nb,100,10,1,1000,\n');
    const env = make('GpuClusterPlacement-v0', { nodes, workload, tune: 0.5, shufflePods: false });
    const agent = makeAgent('gpu-packing', env);
    for (const seed of [0, 1, 2, 3]) {
      const { observation, info } = env.reset({ seed });
      const v = view(info);
      // A CPU pod scores 0 on every node under GpuPacking.
      const lowest = [0, 1, 2].reduce((best, i) => (v.tieRank[i] < v.tieRank[best] ? i : best), 0);
      expect(agent.act(observation, { info })).toEqual({ node: lowest, gpuRule: 'best' });
    }
  });

  it('the heuristics act on a structured clone of the view (as a parallel vector env passes it) as on the view', () => {
    const env = new GpuClusterPlacementEnv({ nodes, workload: pods, tune: 1.3 });
    for (const name of POLICIES) {
      const agent = makeAgent(name, env);
      const clone = makeAgent(name, env);
      let { observation, info } = env.reset({ seed: 2 });
      for (;;) {
        const a = agent.act(observation, { info });
        expect(clone.act(observation, { info: structuredClone(info) })).toEqual(a);
        const r = env.step(a as number);
        if (r.terminated) break;
        ({ observation, info } = r);
      }
    }
  });

  it('random hands the env every node where the pod fits, by index, to draw from', () => {
    const env = make('GpuClusterPlacement-v0', { nodes, workload: pods });
    const { observation, info } = env.reset({ seed: 0 });
    const mask = Array.from(info.actionMask!);
    const a = makeAgent('random', env).act(observation, { info }) as { candidates: Int32Array; gpuRule: string };
    expect(Array.from(a.candidates)).toEqual(mask.flatMap((m, i) => (m ? [i] : [])));
    expect(a.gpuRule).toBe('random');
  });

  it('without the view: a clear error; on another env: not supported', () => {
    const env = make('GpuClusterPlacement-v0', { nodes, workload: pods });
    const agent = makeAgent('fgd', env);
    expect(() => agent.act(new Float32Array(0), {})).toThrow(/needs the info of the last reset\/step of GpuClusterPlacement-v0/);
    expect(() => makeAgent('fgd', make('CartPole-v1'))).toThrow(SchedlabError);
  });
});
