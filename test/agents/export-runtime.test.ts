/**
 * The dependency-free runtime after its speed-up (reused buffers, four outputs summed side by side,
 * sqrt(var + eps) precomputed): outputs bit-identical to the plain reference below, which is the
 * runtime as it was (one dot product at a time, fresh arrays per layer), on random policies of every
 * shape the format allows: tanh / relu / linear layers, odd layer widths (the remainder path), per-item
 * networks, normalisation with clipping, a value head, masks that allow some, one or no action.
 * (test/agents/export.test.ts checks the runtime against the trained agent itself, bit for bit.)
 */
import { describe, expect, test } from 'vitest';
import { MASKED_LOGIT, POLICY_FORMAT, type DenseLayerJSON, type NetworkJSON, type PolicyJSON } from '../../agents/export/runtime/format.js';
import { ExportedPolicy } from '../../agents/export/runtime/policy.js';
import { Rng } from '../../core/rng.js';

/** The runtime's maths as it was written before the speed-up, kept here as the reference. */
function referenceAct(
  json: PolicyJSON,
  observation: Float32Array,
  mask?: Uint8Array,
): { action: number; logits: Float32Array; value?: number } {
  const dense = (l: DenseLayerJSON, x: Float32Array, rows: number) => {
    const y = new Float32Array(rows * l.outSize);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < l.outSize; j++) {
        let sum = Math.fround(l.bias[j]);
        for (let k = 0; k < l.inSize; k++) sum += x[r * l.inSize + k] * Math.fround(l.weight[k * l.outSize + j]);
        y[r * l.outSize + j] = l.activation === 'tanh' ? Math.tanh(sum) : l.activation === 'relu' && sum < 0 ? 0 : sum;
      }
    }
    return y;
  };
  const forward = (net: NetworkJSON, x: Float32Array) => {
    let h = x;
    for (const l of net.layers) h = dense(l, h, net.items?.itemCount ?? 1);
    return h;
  };
  let x = Float32Array.from(observation);
  const n = json.normalization;
  if (n) {
    const z = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) z[i] = Math.max(-n.clip, Math.min(n.clip, (x[i] - n.mean[i]) / Math.sqrt(n.var[i] + n.epsilon)));
    x = z;
  }
  const head = forward(json.actor, x);
  const anyValid = mask === undefined || mask.some((m) => m !== 0);
  const logits = new Float32Array(json.action.n);
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const valid = !mask || !anyValid || mask[i] !== 0;
    logits[i] = valid ? Math.max(head[i], MASKED_LOGIT) : MASKED_LOGIT;
    if (valid && logits[i] > max) [max, best] = [logits[i], i];
  }
  return { action: json.action.start + best, logits, ...(json.critic ? { value: forward(json.critic, x)[0] } : {}) };
}

function randomNetwork(
  rng: Rng,
  inSize: number,
  sizes: number[],
  activation: DenseLayerJSON['activation'],
  items?: NetworkJSON['items'],
): NetworkJSON {
  let n = items ? items.itemSize : inSize;
  const layers = sizes.map((outSize, i) => {
    const layer: DenseLayerJSON = {
      inSize: n,
      outSize,
      activation: i === sizes.length - 1 ? 'linear' : activation,
      weight: Array.from({ length: n * outSize }, () => Math.fround(rng.normal() * 0.7)),
      bias: Array.from({ length: outSize }, () => Math.fround(rng.normal() * 0.1)),
    };
    n = outSize;
    return layer;
  });
  return items ? { layers, items } : { layers };
}

function randomPolicy(
  seed: number,
  shape: { size: number; hidden: number[]; activation: DenseLayerJSON['activation']; items?: number; norm: boolean; critic: boolean },
): PolicyJSON {
  const rng = new Rng(seed);
  const { size, items } = shape;
  const itemSpec = items ? { itemCount: items, itemSize: size / items } : undefined;
  const n = items ?? 7;
  return {
    format: POLICY_FORMAT,
    observation: { size, low: Array(size).fill(-Number.MAX_VALUE), high: Array(size).fill(Number.MAX_VALUE) },
    normalization: shape.norm
      ? {
          mean: Array.from({ length: size }, () => rng.normal()),
          var: Array.from({ length: size }, () => rng.random() * 4),
          epsilon: 1e-8,
          clip: 2.5,
        }
      : null,
    action: { type: 'Discrete', n, start: 1 },
    actor: randomNetwork(rng, size, [...shape.hidden, items ? 1 : n], shape.activation, itemSpec),
    ...(shape.critic ? { critic: randomNetwork(rng, size, [...shape.hidden, 1], shape.activation) } : {}),
  };
}

const bits = (xs: Float32Array) => Array.from(new Uint32Array(xs.buffer, xs.byteOffset, xs.length));

describe('ExportedPolicy after the speed-up', () => {
  test.each([
    [
      'PPO-like 64-64 tanh, normalised, value head (the bench policy shape)',
      { size: 76, hidden: [64, 64], activation: 'tanh' as const, norm: true, critic: true },
    ],
    ['odd widths 13-7-5 relu, raw observations', { size: 11, hidden: [13, 7, 5], activation: 'relu' as const, norm: false, critic: true }],
    ['linear layers, no value head', { size: 9, hidden: [6], activation: 'linear' as const, norm: true, critic: false }],
    [
      'per-item network 32-16-8 relu over 16 items of 8 features',
      { size: 128, hidden: [32, 16, 8], activation: 'relu' as const, items: 16, norm: true, critic: true },
    ],
  ])('%s: actions, logits and values bit for bit', (_name, shape) => {
    const json = randomPolicy(7, shape);
    const policy = ExportedPolicy.fromJSON(JSON.parse(JSON.stringify(json)));
    const rng = new Rng(11);
    const held: { logits: Float32Array; copy: number[] }[] = [];
    for (let t = 0; t < 300; t++) {
      const obs = Float32Array.from({ length: shape.size }, () => rng.normal() * (t % 3 === 0 ? 10 : 1));
      const n = json.action.n;
      const mask =
        t % 4 === 0 ? undefined : t % 4 === 1 ? new Uint8Array(n) : Uint8Array.from({ length: n }, () => (rng.random() < 0.5 ? 1 : 0));
      const got = policy.act(obs, mask);
      const want = referenceAct(json, obs, mask);
      expect(got.action).toBe(want.action);
      expect(bits(got.logits)).toEqual(bits(want.logits));
      if (want.value === undefined) expect(got.value).toBeUndefined();
      else expect(Object.is(got.value, want.value)).toBe(true);
      held.push({ logits: got.logits, copy: bits(got.logits) });
    }
    // Reused buffers never leak into what a caller holds: earlier outputs are unchanged.
    for (const h of held) expect(bits(h.logits)).toEqual(h.copy);
  });
});
