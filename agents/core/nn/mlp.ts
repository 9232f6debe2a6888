/**
 * A multi-layer perceptron: `hidden` layers with one activation, then an optional linear output layer
 * with its own init gain (omit `outSize` for a body whose last hidden layer is the output).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.js';
import { Dense, type Activation, type DenseTrace } from './dense.js';
import type { ParamStore } from './params.js';

export interface MlpConfig {
  inSize: number;
  hidden: number[];
  activation: Activation;
  /** Size of a final linear layer; none when undefined. */
  outSize?: number;
  /** Init gain of the final linear layer (CleanRL: 0.01 policy, 1 value). */
  outGain?: number;
  /** Whether gradients flow into the input (default true; false when the input is data, which saves work). */
  inputGrad?: boolean;
}

export class Mlp {
  readonly layers: Dense[] = [];
  readonly outSize: number;

  constructor(
    private readonly store: ParamStore,
    name: string,
    readonly config: MlpConfig,
    rng: Rng,
  ) {
    let n = config.inSize;
    const inputGrad = (i: number) => i > 0 || (config.inputGrad ?? true);
    config.hidden.forEach((h, i) => {
      this.layers.push(new Dense(store, `${name}.${i}`, n, h, config.activation, Math.SQRT2, rng, inputGrad(i)));
      n = h;
    });
    if (config.outSize !== undefined) {
      this.layers.push(
        new Dense(store, `${name}.out`, n, config.outSize, 'linear', config.outGain ?? 1, rng, inputGrad(config.hidden.length)),
      );
      n = config.outSize;
    }
    this.outSize = n;
  }

  apply(p: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    for (const layer of this.layers) h = layer.apply(p, h);
    return h;
  }

  /** `apply` outside tfjs's tape, keeping each layer's input and output for `backward` (see Dense.forward). Call inside tf.tidy. */
  forward(p: tf.Tensor[], x: tf.Tensor2D, fused = false): { y: tf.Tensor2D; traces: DenseTrace[] } {
    const traces: DenseTrace[] = [];
    let h = x;
    for (const layer of this.layers) {
      const t = layer.forward(p, h, fused);
      traces.push(t);
      h = t.y;
    }
    return { y: h, traces };
  }

  /** Backpropagates ∂L/∂y through the layers of `forward` (not into x), writing each parameter's gradient at its index in `grads`. */
  backward(p: tf.Tensor[], traces: DenseTrace[], dy: tf.Tensor2D, grads: tf.Tensor[]): void {
    let d = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i];
      const g = layer.backward(p, traces[i], d, i > 0);
      grads[layer.w] = g.dw;
      grads[layer.b] = g.db;
      if (g.dx) d = g.dx;
    }
  }

  applyCpu(values: Float32Array, x: Float32Array, batch: number): Float32Array {
    let h = x;
    for (const layer of this.layers) h = layer.applyCpu(values, this.store, h, batch);
    return h;
  }
}
