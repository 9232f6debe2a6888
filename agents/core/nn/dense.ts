/**
 * A fully connected layer y = act(x·W + b) with W stored [in, out] in a ParamStore, orthogonally
 * initialised (CleanRL's layer_init: gain √2 for hidden layers, 0.01 for the policy head, 1 for the
 * value head; bias 0). `apply` is the tfjs graph (backprop through the backend's fast matMul);
 * `applyCpu` computes the same function on Float32Arrays for cheap action selection.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../envs/core/rng.js';
import { matMul } from '../backend.js';
import { orthogonal, zeros } from './init.js';
import type { ParamStore } from './params.js';

export type Activation = 'tanh' | 'relu' | 'linear';
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'linear'];

export function activate(x: tf.Tensor2D, a: Activation): tf.Tensor2D {
  return a === 'tanh' ? tf.tanh(x) : a === 'relu' ? tf.relu(x) : x;
}

export class Dense {
  private readonly w: number;
  private readonly b: number;

  constructor(
    store: ParamStore,
    name: string,
    readonly inSize: number,
    readonly outSize: number,
    readonly activation: Activation,
    gain: number,
    rng: Rng,
  ) {
    this.w = store.add(`${name}.weight`, [inSize, outSize], orthogonal(inSize, outSize, gain, rng));
    this.b = store.add(`${name}.bias`, [outSize], zeros(outSize));
  }

  apply(p: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
    return activate(tf.add(matMul(x, p[this.w] as tf.Tensor2D), p[this.b]) as tf.Tensor2D, this.activation);
  }

  private cache: { version: number; wt: Float64Array; b: Float64Array } | undefined;

  /** Wᵀ and b as float64, refreshed after each parameter change: the CPU forward's dot products run over contiguous rows. */
  private cpuWeights(values: Float32Array, store: ParamStore): { wt: Float64Array; b: Float64Array } {
    if (this.cache?.version === store.version) return this.cache;
    const nIn = this.inSize;
    const nOut = this.outSize;
    const wOff = store.offset(this.w);
    const wt = new Float64Array(nIn * nOut);
    for (let k = 0; k < nIn; k++) for (let j = 0; j < nOut; j++) wt[j * nIn + k] = values[wOff + k * nOut + j];
    const bOff = store.offset(this.b);
    this.cache = { version: store.version, wt, b: Float64Array.from(values.subarray(bOff, bOff + nOut)) };
    return this.cache;
  }

  /** The same function on the CPU copy of the parameters: x is `batch × inSize`, row-major. */
  applyCpu(values: Float32Array, store: ParamStore, x: Float32Array, batch: number): Float32Array {
    const nIn = this.inSize;
    const nOut = this.outSize;
    const { wt, b } = this.cpuWeights(values, store);
    const y = new Float32Array(batch * nOut);
    const act = this.activation;
    for (let r = 0; r < batch; r++) {
      const xRow = r * nIn;
      for (let j = 0; j < nOut; j++) {
        let sum = b[j];
        const wRow = j * nIn;
        for (let k = 0; k < nIn; k++) sum += x[xRow + k] * wt[wRow + k];
        y[r * nOut + j] = act === 'tanh' ? Math.tanh(sum) : act === 'relu' && sum < 0 ? 0 : sum;
      }
    }
    return y;
  }
}
