/**
 * The dense layer's backward pass is written by hand (agents/core/nn/dense.ts): one tf.customGrad node whose
 * forward is tfjs's fused matMul + bias (+ relu, or tanh made from a fused sigmoid as 2·σ(2z) − 1) and whose
 * gradient is dX = dZ·Wᵀ, dW = Xᵀ·dZ with explicit transposes and the bias gradient as a ones-row product.
 * Every network of PPO, A2C, DQN and REINFORCE trains through it, and a mistake there would not crash: the
 * agents would quietly train on wrong gradients. So its forward and backward passes are checked here against
 * tfjs's own autodiff of the plain formulation act(x·W + b) with tf.matMul, tf.tanh and tf.relu, for each
 * activation, with and without the input gradient, on the wasm backend the agents train on and on the cpu
 * backend (where `matMul` is tf.matMul itself), and the CPU forward used for acting against the same.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../../../agents/core/backend.js';
import { Dense, type Activation } from '../../../../agents/core/nn/dense.js';
import { ParamStore } from '../../../../agents/core/nn/params.js';
import { Rng } from '../../../../core/rng.js';

/** Largest absolute difference relative to the reference's largest magnitude (at least 1). */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return diff / scale;
}

/** act(x·W + b) as tfjs differentiates it on its own. */
function plainDense(activation: Activation, x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const z = tf.add<tf.Tensor2D>(tf.matMul(x, w), b);
  return activation === 'tanh' ? tf.tanh(z) : activation === 'relu' ? tf.relu(z) : z;
}

const normals = (rng: Rng, n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.normal(0, scale));

/** float32 rounding differs between the fused and the plain graph; a wrong term is off by orders of magnitude more. */
const TOL = 1e-5;

const shapes: [batch: number, nIn: number, nOut: number][] = [
  [32, 7, 5],
  [1, 3, 64],
  [9, 64, 2],
];
const activations: Activation[] = ['tanh', 'relu', 'linear'];
const cases = activations.flatMap((activation) =>
  shapes.flatMap((shape) => [true, false].map((inputGrad) => ({ activation, shape, inputGrad }))),
);

describe.each(['wasm', 'cpu'] as const)('Dense on the %s backend', (backend) => {
  beforeAll(async () => {
    await initBackend(backend, null);
  });

  test.each(cases)(
    '$activation, batch × in × out = $shape, inputGrad $inputGrad: forward and gradients equal tfjs autodiff of act(x·W + b)',
    ({ activation, shape: [batch, nIn, nOut], inputGrad }) => {
      const before = tf.memory().numTensors;
      const rng = new Rng(nIn * 100 + nOut);
      const store = new ParamStore();
      const layer = new Dense(store, 'layer', nIn, nOut, activation, Math.SQRT2, rng, inputGrad);
      store.build();
      // Random weights and a non-zero bias (the init leaves it 0), large enough to saturate some tanh units.
      store.assign(normals(rng, store.size));
      const xValues = normals(rng, batch * nIn, 2);
      const x = tf.tensor2d(xValues, [batch, nIn]);
      // A random upstream gradient dL/dy, so no two outputs' gradients coincide.
      const upstream = tf.tensor2d(normals(rng, batch * nOut), [batch, nOut]);

      const [y, gx, gParams] = tf.tidy(() => {
        const loss = (xt: tf.Tensor, flat: tf.Tensor) =>
          tf.sum(tf.mul(layer.apply(store.views(flat as tf.Tensor1D), xt as tf.Tensor2D), upstream));
        const grads = tf.grads(loss)([x, store.variable]);
        return [layer.apply(store.views(), x), ...grads];
      });
      const [yRef, gxRef, gwRef, gbRef] = tf.tidy(() => {
        const [w, b] = store.views() as [tf.Tensor2D, tf.Tensor1D];
        const loss = (xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) =>
          tf.sum(tf.mul(plainDense(activation, xt as tf.Tensor2D, wt as tf.Tensor2D, bt as tf.Tensor1D), upstream));
        return [plainDense(activation, x, w, b), ...tf.grads(loss)([x, w, b])];
      });

      expect(relativeError(y.dataSync(), yRef.dataSync())).toBeLessThan(TOL);
      // The parameters' gradient is [dW (row-major, [in, out]), db], the store's layout.
      expect(store.specs.map((s) => s.name)).toEqual(['layer.weight', 'layer.bias']);
      expect(relativeError(gParams.dataSync(), [...gwRef.dataSync(), ...gbRef.dataSync()])).toBeLessThan(TOL);
      if (inputGrad) expect(relativeError(gx.dataSync(), gxRef.dataSync())).toBeLessThan(TOL);
      // A first layer's input is data: its gradient is not computed and comes back as zeros.
      else expect(Array.from(gx.dataSync()).every((v) => v === 0)).toBe(true);
      // The CPU forward used to act computes the same function (float64 dot products, float32 out).
      expect(relativeError(layer.applyCpu(store.values, store, xValues, batch), yRef.dataSync())).toBeLessThan(TOL);

      tf.dispose([x, upstream, y, gx, gParams, yRef, gxRef, gwRef, gbRef]);
      store.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  test('a stack of layers: the gradient reaching the first layer goes through each hand-written backward pass', () => {
    const rng = new Rng(11);
    const store = new ParamStore();
    const layers = [
      new Dense(store, 'l0', 6, 16, 'tanh', Math.SQRT2, rng, false),
      new Dense(store, 'l1', 16, 16, 'relu', Math.SQRT2, rng),
      new Dense(store, 'l2', 16, 3, 'linear', 0.01, rng),
    ];
    store.build();
    store.assign(normals(rng, store.size, 0.5));
    const x = tf.tensor2d(normals(rng, 20 * 6), [20, 6]);
    const upstream = tf.tensor2d(normals(rng, 20 * 3), [20, 3]);
    const [g, gRef] = tf.tidy(() => {
      const ours = (flat: tf.Tensor) => {
        const p = store.views(flat as tf.Tensor1D);
        return tf.sum(
          tf.mul(
            layers.reduce((h, l) => l.apply(p, h), x),
            upstream,
          ),
        );
      };
      const plain = (flat: tf.Tensor) => {
        const p = store.views(flat as tf.Tensor1D);
        const h = layers.reduce((h, l, i) => plainDense(l.activation, h, p[2 * i] as tf.Tensor2D, p[2 * i + 1] as tf.Tensor1D), x);
        return tf.sum(tf.mul(h, upstream));
      };
      return [tf.grad(ours)(store.variable), tf.grad(plain)(store.variable)];
    });
    expect(relativeError(g.dataSync(), gRef.dataSync())).toBeLessThan(TOL);
    tf.dispose([x, upstream, g, gRef]);
    store.dispose();
  });
});
