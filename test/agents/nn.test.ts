import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend, matMul } from '../../agents/core/backend.js';
import { ActorCritic, type ActorCriticConfig } from '../../agents/core/nn/actor-critic.js';
import { orthogonal } from '../../agents/core/nn/init.js';
import { Rng } from '../../core/rng.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

describe('backend', () => {
  test('wasm is chosen and reported with its device', async () => {
    const info = await initBackend('wasm', null);
    expect(info.backend).toBe('wasm');
    expect(info.device).toMatch(/wasm/);
    expect(tf.getBackend()).toBe('wasm');
  });

  test('the explicit-transpose matMul has the gradients of tf.matMul', () => {
    const rng = new Rng(3);
    const a = tf.tensor2d(
      Array.from({ length: 15 }, () => rng.normal()),
      [5, 3],
    );
    const b = tf.tensor2d(
      Array.from({ length: 12 }, () => rng.normal()),
      [3, 4],
    );
    const w = tf.tensor2d(
      Array.from({ length: 20 }, () => rng.normal()),
      [5, 4],
    );
    const f = (mm: typeof matMul) =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(mm(x as tf.Tensor2D, y as tf.Tensor2D), w)))([a, b]);
    const [ga, gb] = f(matMul);
    const [ra, rb] = f(tf.matMul);
    for (const [x, y] of [
      [ga, ra],
      [gb, rb],
    ]) {
      const dx = x.dataSync();
      const dy = y.dataSync();
      for (let i = 0; i < dx.length; i++) expect(dx[i]).toBeCloseTo(dy[i], 5);
    }
    tf.dispose([a, b, w, ga, gb, ra, rb]);
  });
});

describe('orthogonal init', () => {
  test.each([
    [6, 3],
    [3, 6],
    [5, 5],
  ])('%i × %i is orthogonal times the gain, and seeded', (rows, cols) => {
    const gain = Math.SQRT2;
    const m = orthogonal(rows, cols, gain, new Rng(7));
    // Columns (tall) or rows (wide) are orthonormal after dividing by the gain.
    const k = Math.min(rows, cols);
    const vec = (i: number) =>
      rows >= cols ? Array.from({ length: rows }, (_, r) => m[r * cols + i]) : Array.from({ length: cols }, (_, c) => m[i * cols + c]);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const dot = vec(i).reduce((s, v, n) => s + v * vec(j)[n], 0) / (gain * gain);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
    expect(Array.from(orthogonal(rows, cols, gain, new Rng(7)))).toEqual(Array.from(m));
    expect(Array.from(orthogonal(rows, cols, gain, new Rng(8)))).not.toEqual(Array.from(m));
  });
});

describe('actor-critic networks', () => {
  const configs: [string, ActorCriticConfig][] = [
    ['separate tanh MLPs', { obsSize: 6, headSize: 3, gaussian: false, body: 'separate', pi: [8, 8], vf: [8], activation: 'tanh' }],
    ['a shared relu body', { obsSize: 6, headSize: 3, gaussian: false, body: 'shared', pi: [8, 5], vf: [], activation: 'relu' }],
    [
      'the per-item scorer',
      { obsSize: 12, headSize: 4, gaussian: false, body: 'items', itemSize: 3, pi: [5, 4], vf: [8], activation: 'relu' },
    ],
    [
      'a Gaussian head',
      { obsSize: 6, headSize: 2, gaussian: true, body: 'separate', pi: [8], vf: [8], activation: 'tanh', initLogStd: -0.5 },
    ],
  ];
  test.each(configs)('the CPU forward computes the tfjs forward (%s)', (_name, config) => {
    const net = new ActorCritic(config, new Rng(1));
    const rng = new Rng(2);
    const batch = 5;
    const x = Float32Array.from({ length: batch * config.obsSize }, () => rng.normal());
    const cpu = net.forwardCpu(x, batch);
    const { head, value, logStd } = tf.tidy(() => {
      const out = net.apply(tf.tensor2d(x, [batch, config.obsSize]));
      return { head: out.head.dataSync(), value: out.value.dataSync(), logStd: out.logStd?.dataSync() };
    });
    expect(cpu.head.length).toBe(batch * config.headSize);
    for (let i = 0; i < head.length; i++) expect(cpu.head[i]).toBeCloseTo(head[i], 5);
    for (let i = 0; i < batch; i++) expect(cpu.value[i]).toBeCloseTo(value[i], 5);
    if (config.gaussian) expect(Array.from(net.logStdCpu())).toEqual(Array.from(logStd!));
    net.dispose();
  });

  test('the per-item scorer gives each item its own score: permuting items permutes the logits', () => {
    const config: ActorCriticConfig = {
      obsSize: 12,
      headSize: 4,
      gaussian: false,
      body: 'items',
      itemSize: 3,
      pi: [6],
      vf: [6],
      activation: 'tanh',
    };
    const net = new ActorCritic(config, new Rng(4));
    const rng = new Rng(5);
    const items = Array.from({ length: 4 }, () => Array.from({ length: 3 }, () => rng.normal()));
    const order = [2, 0, 3, 1];
    const a = net.headCpu(Float32Array.from(items.flat()), 1);
    const b = net.headCpu(Float32Array.from(order.map((i) => items[i]).flat()), 1);
    order.forEach((from, to) => expect(b[to]).toBeCloseTo(a[from], 6));
    expect(() => new ActorCritic({ ...config, itemSize: 5 }, new Rng(0))).toThrow(/4 items × 5 features != observation size 12/);
    net.dispose();
  });

  test('the same seed builds the same weights; CleanRL init: policy head gain 0.01', () => {
    const config: ActorCriticConfig = {
      obsSize: 4,
      headSize: 2,
      gaussian: false,
      body: 'separate',
      pi: [64, 64],
      vf: [64, 64],
      activation: 'tanh',
    };
    const a = new ActorCritic(config, new Rng(9));
    const b = new ActorCritic(config, new Rng(9));
    expect(Array.from(a.store.values)).toEqual(Array.from(b.store.values));
    const head = a.store.specs.find((s) => s.name === 'actor.out.weight')!;
    const w = a.store.values.subarray(head.offset, head.offset + head.size);
    // Orthogonal columns of norm 0.01.
    for (let c = 0; c < 2; c++) expect(Math.hypot(...Array.from({ length: 64 }, (_, r) => w[r * 2 + c]))).toBeCloseTo(0.01, 6);
    a.dispose();
    b.dispose();
  });
});
