import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { DiagGaussian, distributionFor, MASKED_LOGIT, MaskedCategorical } from '../../agents/core/distributions.js';
import { explainedVariance, RolloutBuffer } from '../../agents/core/rollout-buffer.js';
import { Rng } from '../../core/rng.js';
import { Box } from '../../envs/core/spaces/box.js';
import { Discrete } from '../../envs/core/spaces/discrete.js';
import { MultiBinary } from '../../envs/core/spaces/multi-binary.js';
import { MultiDiscrete } from '../../envs/core/spaces/multi-discrete.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

describe('masked categorical', () => {
  test('never samples a masked action; frequencies follow the renormalised softmax', () => {
    const d = new MaskedCategorical([4], [0], true);
    const logits = Float32Array.of(5, 0, 1, 2);
    const mask = Uint8Array.of(0, 1, 1, 1);
    const rng = new Rng(0);
    const counts = [0, 0, 0, 0];
    const out = new Float32Array(1);
    for (let i = 0; i < 20000; i++) {
      d.sampleCpu(logits, 0, mask, 0, rng, false, out, 0);
      counts[out[0]]++;
    }
    expect(counts[0]).toBe(0);
    const z = Math.exp(0) + Math.exp(1) + Math.exp(2);
    expect(counts[3] / 20000).toBeCloseTo(Math.exp(2) / z, 1);
    d.sampleCpu(logits, 0, mask, 0, rng, true, out, 0);
    expect(out[0]).toBe(3); // the mode among valid actions, not the masked 0
  });

  test('CPU log-probabilities equal the tfjs ones; masked logits of −1e8 or −∞ give finite entropy', () => {
    const d = new MaskedCategorical([3, 2], [0, 0], false);
    const head = Float32Array.of(0.5, -1, 2, 0.3, -Infinity, 1, 1, 1, 4, -2);
    const mask = Uint8Array.of(1, 0, 1, 1, 1, 1, 1, 1, 1, 0);
    const rng = new Rng(1);
    const actions = new Float32Array(4);
    const cpuLogp = [0, 1].map((row) => d.sampleCpu(head, row, mask, row * 5, rng, false, actions, row * 2));
    const enc = new Float32Array(2 * 5);
    d.encode(actions, [0, 1], enc);
    const penalty = Float32Array.from(mask, (m) => (m ? 0 : MASKED_LOGIT));
    const { logProb, entropy } = tf.tidy(() => {
      const r = d.logProbEntropy(tf.tensor2d(head, [2, 5]), tf.tensor2d(enc, [2, 5]), tf.tensor2d(penalty, [2, 5]));
      return { logProb: r.logProb.dataSync(), entropy: r.entropy.dataSync() };
    });
    expect(logProb[0]).toBeCloseTo(cpuLogp[0], 5);
    expect(logProb[1]).toBeCloseTo(cpuLogp[1], 5);
    expect(Array.from(entropy).every(Number.isFinite)).toBe(true);
    // Row 0, dimension 1 has a −∞ logit: it is clamped, its probability is 0.
    expect(actions[1]).toBe(0);
    // Row 1: uniform over 3 (entropy log 3), and dimension 1 masks action 1 (entropy 0).
    expect(entropy[1]).toBeCloseTo(Math.log(3), 5);
  });

  test('a group whose mask allows nothing is sampled as unmasked', () => {
    const d = new MaskedCategorical([2], [0], true);
    const out = new Float32Array(1);
    const logp = d.sampleCpu(Float32Array.of(0, 0), 0, Uint8Array.of(0, 0), 0, new Rng(2), false, out, 0);
    expect(logp).toBeCloseTo(Math.log(0.5), 6);
  });
});

describe('diagonal Gaussian', () => {
  test('log-probability and entropy match the closed forms; env actions are clipped to the box', () => {
    const d = new DiagGaussian(Float64Array.of(-1, -1), Float64Array.of(1, 1));
    const logStd = Float32Array.of(-0.5, 0.2);
    const mean = Float32Array.of(0.9, -0.3);
    const out = new Float32Array(2);
    const cpu = d.sampleCpu(mean, 0, undefined, 0, new Rng(3), false, out, 0, logStd);
    const { logProb, entropy } = tf.tidy(() => {
      const r = d.logProbEntropy(tf.tensor2d(mean, [1, 2]), tf.tensor2d(out, [1, 2]), undefined, tf.tensor1d(logStd));
      return { logProb: r.logProb.dataSync()[0], entropy: r.entropy.dataSync()[0] };
    });
    expect(logProb).toBeCloseTo(cpu, 4);
    expect(entropy).toBeCloseTo(2 * (0.5 + 0.5 * Math.log(2 * Math.PI)) - 0.5 + 0.2, 5);
    const env = d.toEnvAction(Float32Array.of(3, -0.2), 0);
    expect(Array.from(env)).toEqual([1, Math.fround(-0.2)]);
  });
});

test('distributionFor maps spaces and names unsupported ones', () => {
  expect(distributionFor(new Discrete(3, 1))).toMatchObject({ kind: 'categorical', headSize: 3 });
  expect((distributionFor(new Discrete(3, 1)) as MaskedCategorical).toEnvAction(Float32Array.of(2), 0)).toBe(3);
  expect(distributionFor(new MultiDiscrete([2, 3]))).toMatchObject({ headSize: 5, actionDim: 2 });
  expect(distributionFor(new Box(-1, 1, [3]))).toMatchObject({ kind: 'gaussian', headSize: 3 });
  expect(distributionFor(new MultiBinary(3))).toMatch(/MultiBinary\(3\) is not Discrete, MultiDiscrete or Box/);
});

describe('rollout buffer', () => {
  test('GAE equals the hand-computed recursion, with resets and the bootstrap value', () => {
    const b = new RolloutBuffer({ numSteps: 3, numEnvs: 1, obsSize: 1, actionDim: 1, maskSize: 0 });
    b.rewards.set([1, 2, 3]);
    b.values.set([0.5, 1, 1.5]);
    b.dones.set([0, 0, 1]); // obs 2 starts a new episode
    const g = 0.9;
    const l = 0.8;
    b.computeGae([2], [0], g, l);
    const d2 = 3 + g * 2 - 1.5;
    const d1 = 2 + 0 - 1; // next obs starts a new episode
    const d0 = 1 + g * 1 - 0.5;
    const a2 = d2;
    const a1 = d1;
    const a0 = d0 + g * l * a1;
    expect(Array.from(b.advantages)).toEqual([a0, a1, a2].map(Math.fround));
    expect(b.returns[0]).toBeCloseTo(a0 + 0.5, 6);
  });

  test('explained variance: 1 for perfect predictions, 0 for the mean', () => {
    expect(explainedVariance([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(explainedVariance([2, 2, 2], [1, 2, 3])).toBeCloseTo(0, 10);
  });
});
