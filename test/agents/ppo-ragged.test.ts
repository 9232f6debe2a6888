/**
 * PPO's per-item network without its padding (issue 13, "Training speed on queue observations"): the
 * update scores only the valid items of each observation (agents/core/nn/item-rows.ts, ActorCritic's
 * forwardRagged / gradientRagged) and must give the padded computation's numbers bit for bit; option
 * fusedForward (tfjs rollouts, fused layers) trades bit-identity for speed and must stay deterministic.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../agents/core/backend.js';
import { ActorCritic, type ActorCriticConfig } from '../../agents/core/nn/actor-critic.js';
import { gatherItemRows, gatherItemValues, leadingDistinctItems, scatterItemValues } from '../../agents/core/nn/item-rows.js';
import { makeAgent } from '../../agents/index.js';
import type { PPO } from '../../agents/ppo/ppo.js';
import { Rng } from '../../core/rng.js';
import { makeVec } from '../../envs/core/vector/make-vec.js';
import { make } from '../../envs/index.js';
import { MaskedEnv } from './helpers.js';

beforeAll(async () => {
  await initBackend('wasm', null);
});

describe('ragged item rows', () => {
  // 3 observations × 4 items × 2 features; observation 1 allows nothing, so all its items count.
  const obs = Float32Array.from({ length: 24 }, (_, i) => i);
  const mask = Uint8Array.of(1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1);

  test('gatherItemRows packs the valid items with each observation segment', () => {
    const rows = gatherItemRows(obs, mask, 3, 4, 2);
    expect(rows.count).toBe(9);
    expect(Array.from(rows.rowStart)).toEqual([0, 2, 6, 9]);
    expect(Array.from(rows.slot)).toEqual([0, 2, 0, 1, 2, 3, 1, 2, 3]);
    expect(Array.from(rows.x)).toEqual([0, 1, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 18, 19, 20, 21, 22, 23]);
    expect(gatherItemRows(obs, undefined, 3, 4, 2).count).toBe(12);
  });

  test('scatter and gather move per-item values between the ragged and the padded form', () => {
    const rows = gatherItemRows(obs, mask, 3, 4, 2);
    const padded = scatterItemValues(rows, [1, 2, 3, 4, 5, 6, 7, 8, 9], 4, new Float32Array(12), -1);
    expect(Array.from(padded)).toEqual([1, -1, 2, -1, 3, 4, 5, 6, -1, 7, 8, 9]);
    expect(Array.from(gatherItemValues(rows, padded, 4))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('leadingDistinctItems counts the items before the trailing copies of the last one', () => {
    const pad = [7, 7];
    const q = Float32Array.from([...[1, 2, 3, 4, ...pad, ...pad], ...[...pad, ...pad, ...pad, ...pad], ...[1, 2, ...pad, 3, 4, 5, 6]]);
    expect(Array.from(leadingDistinctItems(q, 3, 4, 2))).toEqual([2, 0, 3]);
  });
});

describe('the ragged forward and gradient of the per-item actor-critic', () => {
  const items = 6;
  const itemSize = 3;
  const batch = 7;
  const config = (activation: 'relu' | 'tanh'): ActorCriticConfig => ({
    obsSize: items * itemSize,
    headSize: items,
    gaussian: false,
    body: 'items',
    itemSize,
    pi: [5, 4],
    vf: [8, 3],
    activation,
  });
  /** Queue-like observations: k random items then copies of a padding item; the mask marks the k (with one hole, and one observation allowing nothing). */
  function data(rng: Rng) {
    const obs = new Float32Array(batch * items * itemSize);
    const mask = new Uint8Array(batch * items);
    const pad = [rng.normal(), 1, -1];
    for (let r = 0; r < batch; r++) {
      const k = r % (items + 1);
      for (let s = 0; s < items; s++)
        for (let f = 0; f < itemSize; f++) obs[(r * items + s) * itemSize + f] = s < k ? rng.normal() : pad[f];
      for (let s = 0; s < k; s++) mask[r * items + s] = s === 1 && k > 3 ? 0 : 1;
    }
    const gHead = Float32Array.from({ length: batch * items }, (_, i) => (mask[i] || (i >= 0 && i < items) ? rng.normal() : 0));
    const gValue = Float32Array.from({ length: batch }, () => rng.normal());
    return { obs, mask, gHead, gValue };
  }

  test.each(['relu', 'tanh'] as const)('equal apply and its tfjs gradient bit for bit (%s), and close when fused', (activation) => {
    const net = new ActorCritic(config(activation), new Rng(1));
    // Non-zero biases: tfjs's unfused gradient-mode layers round x·W + b differently from the fused op.
    net.store.assign(Float32Array.from(net.store.values, (v, i) => v + 0.1 * Math.sin(i)));
    const { obs, mask, gHead, gValue } = data(new Rng(2));
    const padded = tf.tidy(() => {
      let head: Float32Array = new Float32Array(0);
      let value: Float32Array = new Float32Array(0);
      const x = tf.tensor2d(obs, [batch, items * itemSize]);
      const { grads } = tf.variableGrads(() => {
        const out = net.apply(x);
        head = out.head.dataSync() as Float32Array;
        value = out.value.dataSync() as Float32Array;
        return tf.add(tf.sum(tf.mul(out.head, tf.tensor2d(gHead, [batch, items]))), tf.sum(tf.mul(out.value, tf.tensor1d(gValue))));
      }, [net.store.variable]);
      return { head, value, grad: grads[net.store.variable.name].dataSync() as Float32Array };
    });
    for (const fused of [false, true]) {
      const ragged = tf.tidy(() => {
        const f = net.forwardRagged(obs, mask, batch, fused);
        return { head: f.head, value: f.value, grad: net.gradientRagged(f, gHead, gValue).dataSync() as Float32Array };
      });
      const valid = (i: number) => mask[i] === 1 || (i >= 0 && i < items); // observation 0 allows nothing: all its items count
      const validHead = (h: Float32Array) => Array.from(h).filter((_, i) => valid(i));
      if (fused) {
        validHead(ragged.head).forEach((v, i) => expect(v).toBeCloseTo(validHead(padded.head)[i], 5));
        ragged.value.forEach((v, i) => expect(v).toBeCloseTo(padded.value[i], 5));
        ragged.grad.forEach((v, i) => expect(v).toBeCloseTo(padded.grad[i], 4));
      } else {
        expect(validHead(ragged.head)).toEqual(validHead(padded.head));
        expect(Array.from(ragged.value)).toEqual(Array.from(padded.value));
        expect(Array.from(ragged.grad)).toEqual(Array.from(padded.grad));
      }
      // Masked slots are not computed.
      ragged.head.forEach((v, i) => (valid(i) ? undefined : expect(v).toBe(0)));
    }
    net.dispose();
  });

  test('the CPU loops score the trailing copies once, bit for bit as scoring each slot', () => {
    const net = new ActorCritic(config('relu'), new Rng(5));
    const rng = new Rng(6);
    const { obs } = data(rng);
    const head = net.headCpu(obs, batch);
    for (let r = 0; r < batch; r++) {
      for (let s = 0; s < items; s++) {
        // The item alone in slot 0 of an observation of distinct random items: scored as its own row.
        const single = Float32Array.from({ length: items * itemSize }, () => rng.normal());
        single.set(obs.subarray((r * items + s) * itemSize, (r * items + s + 1) * itemSize));
        expect(net.headCpu(single, 1)[0]).toBe(head[r * items + s]);
      }
    }
    net.dispose();
  });

  test('rollouts in tfjs (forwardInTfjs) give the float64 loops values, each trailing copy scored as the last item', () => {
    const net = new ActorCritic(config('relu'), new Rng(3));
    const { obs } = data(new Rng(4));
    const cpu = net.forwardCpu(obs, batch);
    net.forwardInTfjs = true;
    const before = tf.memory().numTensors;
    const fast = net.forwardCpu(obs, batch);
    expect(Array.from(net.valueCpu(obs, batch))).toEqual(Array.from(fast.value));
    fast.head.forEach((v, i) => expect(v).toBeCloseTo(cpu.head[i], 5));
    fast.value.forEach((v, i) => expect(v).toBeCloseTo(cpu.value[i], 5));
    // Observation 2 has 2 items then 4 copies of the padding item: all score as the last slot.
    expect(Array.from(fast.head.subarray(2 * items + 2, 3 * items))).toEqual(new Array(4).fill(fast.head[3 * items - 1]));
    // The parameter views are kept once (until the parameters change), nothing else.
    net.forwardCpu(obs, batch);
    expect(tf.memory().numTensors).toBe(before + net.store.specs.length);
    net.dispose();
  });
});

describe('PPO on queue observations', () => {
  const envOptions = { trace: 'lublin-1', sequenceLength: 32 };
  const options = {
    body: 'items',
    piLayers: [8, 4],
    vfLayers: [8],
    activation: 'relu',
    numEnvs: 2,
    numSteps: 32,
    updateEpochs: 2,
    normalizeObservation: true,
  };
  async function train(extra: Record<string, unknown>, seed: number) {
    const env = make('BatchScheduling-v0', envOptions);
    const agent = makeAgent('ppo', env, { ...options, ...extra }, { seed, envId: 'BatchScheduling-v0' }) as PPO;
    const vec = makeVec('BatchScheduling-v0', 2, { options: envOptions, autoresetMode: 'same-step' });
    await agent.learn(vec, { totalSteps: 2 * 32 * 3 });
    await vec.close();
    agent.net.store.sync();
    const curve = agent.logger.rows.map((r) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'SPS' && !k.startsWith('time/'))),
    );
    return { agent, curve, params: Array.from(agent.net.store.values) };
  }

  test('fusedForward: the same seed gives the same curve and weights, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const a = await train({ fusedForward: true }, 5);
    const b = await train({ fusedForward: true }, 5);
    expect(a.curve.length).toBe(3);
    expect(b.curve).toEqual(a.curve);
    expect(b.params).toEqual(a.params);
    const plain = await train({}, 5);
    // The same policy: both start from the same weights and see the same first rollout's episodes.
    expect(plain.curve[0].episodic_return).toBeCloseTo(a.curve[0].episodic_return, 3);
    [a, b, plain].forEach((x) => x.agent.dispose());
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  test('fusedForward needs the per-item network and the closed-form gradient', () => {
    expect(() => makeAgent('ppo', new MaskedEnv(), { fusedForward: true })).toThrow(
      /ppo: option 'fusedForward' needs body 'items' and gradient 'analytic' \(got body 'separate', gradient 'analytic'\)/,
    );
  });
});
