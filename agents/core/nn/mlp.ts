/**
 * A multi-layer perceptron: `hidden` layers with one activation, then an optional linear output layer
 * with its own init gain (omit `outSize` for a body whose last hidden layer is the output).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.js';
import { Dense, type Activation } from './dense.js';
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

  applyCpu(values: Float32Array, x: Float32Array, batch: number): Float32Array {
    let h = x;
    for (const layer of this.layers) h = layer.applyCpu(values, this.store, h, batch);
    return h;
  }
}
