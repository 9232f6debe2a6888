/**
 * The fragmentation measure against the reference's unit fixtures (hkust-adsl/kubernetes-scheduler-simulator
 * 8f3d641, pkg/utils/frag_test.go): the same typical-pod lists, nodes and expected amounts, to 0.01.
 */
import { describe, expect, it } from 'vitest';
import {
  canHostOnGpus,
  fragSumExceptQ3,
  gpuMilliLeftTotal,
  nodeFragAmount,
  nodeFragBellman,
  nodeFragScore,
  nodePodCategory,
  Q4_LACK_CPU,
  type NodeShape,
  type TypicalPod,
} from '../../../envs/placement/fragmentation.js';

// The fixtures name GPU types outside openb's list (1080, 2080); the measure only compares model indices.
const MODELS = ['1080', '2080', 'T4', 'P100', 'V100M16', 'V100M32'];
const model = (name: string): number => MODELS.indexOf(name);

type Row = [cpu: number, milli: number, num: number, spec: string, percent: number];

function typical(rows: Row[]): TypicalPod[] {
  return rows.map(([cpu, milli, num, spec, percent]) => ({
    cpu,
    milli,
    num,
    spec,
    specMask: spec === '' ? 0 : 1 << model(spec),
    freq: percent / 100,
  }));
}

function node(cpuLeft: number, gpuLeft: number[], type: string): NodeShape {
  return { cpuLeft, gpuLeft, model: model(type) };
}

// TestingGenerateGetTypicalPods
const TYPICAL: Row[] = [
  [6000, 465, 1, '', 9.33],
  [8000, 440, 1, '2080', 9.15],
  [8000, 475, 1, 'T4', 8.76],
  [8000, 440, 1, 'P100', 8.72],
  [2000, 465, 1, '', 8.68],
  [12000, 900, 1, '', 8.65],
  [4000, 900, 1, '', 8.43],
  [16000, 678, 1, 'T4', 8.36],
  [8000, 500, 1, '', 8.29],
  [6000, 511, 1, '', 8.11],
  [14000, 1000, 2, '2080', 0.54],
  [4000, 1000, 1, '2080', 0.43],
  [32000, 1000, 2, 'T4', 0.43],
  [16000, 1000, 1, 'V100M16', 0.4],
  [64000, 1000, 2, '', 0.4],
  [10000, 1000, 2, '', 0.4],
  [11400, 1000, 1, 'T4', 0.36],
  [16000, 1000, 1, 'T4', 0.36],
  [4000, 1000, 2, '', 0.36],
  [14000, 1000, 2, 'V100M16', 0.36],
  [8000, 1000, 4, '', 0.36],
  [16000, 1000, 2, '', 0.32],
  [2000, 1000, 1, 'T4', 0.32],
  [6000, 1000, 1, '', 0.32],
  [4000, 1000, 1, '', 0.32],
  [5000, 1000, 1, '', 0.32],
  [32000, 1000, 4, 'V100M16', 0.32],
  [32000, 1000, 2, '', 0.32],
  [24000, 1000, 8, '2080', 0.32],
  [40000, 1000, 4, '', 0.29],
  [32000, 1000, 8, '', 0.29],
  [32000, 1000, 1, 'T4', 0.29],
  [16000, 1000, 1, '', 0.25],
  [7000, 1000, 1, 'V100M16', 0.25],
  [24000, 1000, 1, 'T4', 0.25],
];

// TestingGenerateGetTypicalPodsWithNonGpu
const TYPICAL_WITH_NON_GPU: Row[] = [
  [15700, 1000, 1, '', 28.69],
  [11900, 1000, 1, '', 18.93],
  [11400, 1000, 1, '', 12.27],
  [1000, 0, 0, '', 7.36],
  [18710, 1000, 1, '', 4.85],
  [8200, 1000, 1, '', 3.79],
  [16400, 1000, 1, '', 3.31],
  [9810, 1000, 1, '', 1.97],
  [15200, 1000, 1, '', 1.87],
  [11200, 1000, 1, '', 1.81],
  [14200, 1000, 1, '', 1.76],
  [12000, 0, 0, '', 1.65],
  [14900, 1000, 1, '', 1.39],
  [60200, 1000, 4, '', 1.23],
  [64200, 1000, 8, '', 1.07],
  [32200, 1000, 4, '', 1.01],
  [17400, 1000, 2, '', 0.91],
  [30200, 1000, 2, '', 0.69],
  [16000, 1000, 1, '', 0.64],
  [15000, 1000, 1, '', 0.59],
  [64000, 1000, 8, '', 0.53],
  [15000, 0, 0, '', 0.53],
  [11910, 1000, 1, '', 0.53],
  [120200, 1000, 8, '', 0.48],
  [11300, 1000, 1, '', 0.37],
  [30000, 1000, 2, '', 0.32],
  [9800, 1000, 1, '', 0.32],
  [8000, 1000, 1, '', 0.32],
  [2000, 1000, 1, '', 0.27],
  [2000, 80, 1, '', 0.27],
  [1000, 1000, 1, '', 0.27],
];

describe('FGD fragmentation measure (frag_test.go fixtures)', () => {
  it('TestNodeGpuShareFragAmountScore: 2566.62, 3802.40, 7604.80, 251.91', () => {
    const pods = typical(TYPICAL);
    expect(nodeFragScore(node(1000, [200, 1000, 1000, 500], '1080'), pods)).toBeCloseTo(2566.62, 2);
    expect(nodeFragScore(node(1000, [1000, 1000, 1000, 1000], '1080'), pods)).toBeCloseTo(3802.4, 2);
    expect(nodeFragScore(node(1000, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], '1080'), pods)).toBeCloseTo(7604.8, 2);
    const one = typical([[6000, 465, 1, '', 9.33]]);
    const lackCpu = node(1000, [200, 1000, 1000, 500], '1080');
    expect(nodePodCategory(lackCpu, one[0])).toBe(Q4_LACK_CPU);
    expect(gpuMilliLeftTotal(lackCpu.gpuLeft)).toBe(2700);
    expect(nodeFragScore(lackCpu, one)).toBeCloseTo(251.91, 2);
  });

  it('TestNodeGpuShareFragAmountWithNonGpu: 887.20, 554.4, 4000', () => {
    const pods = typical(TYPICAL_WITH_NON_GPU);
    expect(fragSumExceptQ3(nodeFragAmount(node(64000, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], 'P100'), pods))).toBeCloseTo(
      887.2,
      2,
    );
    expect(fragSumExceptQ3(nodeFragAmount(node(32000, [1000, 1000, 1000, 1000, 0, 0, 0, 0], 'P100'), pods))).toBeCloseTo(554.4, 2);
    expect(fragSumExceptQ3(nodeFragAmount(node(0, [1000, 1000, 1000, 1000, 0, 0, 0, 0], 'P100'), pods))).toBeCloseTo(4000, 2);
  });

  it('TestNodeGpuFragAmountBellman_EightGpu: 160.73', () => {
    const memo = new Map<string, number>();
    expect(nodeFragBellman(node(78000, [1000, 1000, 1000, 1000, 1000, 1000, 535, 70], 'V100M32'), typical(TYPICAL), memo, 1)).toBeCloseTo(
      160.73,
      2,
    );
  });

  it('TestGetGpuFragMilliByNodeResAndPodRes: the GPUs too small for the pod', () => {
    // Via the Q2 share of a Q3 node: one pod of 2 x 1000 on 4x1080_used leaves 200 + 500 = 700 as Q2.
    const amount = nodeFragAmount(node(1000, [200, 1000, 1000, 500], '1080'), typical([[100, 1000, 2, '1080', 100]]));
    expect(amount[1]).toBeCloseTo(700, 6);
    expect(amount[2]).toBeCloseTo(2000, 6);
    expect(canHostOnGpus([200, 1000, 1000, 500], 200, 2)).toBe(true);
    expect(fragSumExceptQ3(nodeFragAmount(node(1000, [200, 1000, 1000, 500], '1080'), typical([[100, 200, 2, '1080', 100]])))).toBe(0);
  });
});
