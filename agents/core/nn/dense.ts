/**
 * A fully connected layer y = act(x·W + b) with W stored [in, out] in a ParamStore, orthogonally
 * initialised (CleanRL's layer_init: gain √2 for hidden layers, 0.01 for the policy head, 1 for the
 * value head; bias 0). `apply` is the tfjs graph (backprop through the backend's fast matMul);
 * `applyCpu` computes the same function on Float32Arrays for cheap action selection.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.js';
import { matMul } from '../backend.js';
import { orthogonal, zeros } from './init.js';
import type { ParamStore } from './params.js';

export type Activation = 'tanh' | 'relu' | 'linear';
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'linear'];

export function activate(x: tf.Tensor2D, a: Activation): tf.Tensor2D {
  return a === 'tanh' ? tf.tanh(x) : a === 'relu' ? tf.relu(x) : x;
}

/**
 * y = act(x·W + b) as one differentiable op: the forward is tfjs's fused matMul+bias (+relu, or a
 * sigmoid from which tanh is made); the
 * gradient uses untransposed products only (dX = dZ·Wᵀ, dW = Xᵀ·dZ with explicit transposes, the fast
 * path on wasm) and a ones-row product for the bias (a column sum, slow on wasm as a reduction).
 * One tape node per layer instead of four also saves the engine's per-op bookkeeping and copies.
 * `inputGrad: false` skips dX for a first layer whose input is data.
 */
function denseOp(activation: Activation, inputGrad: boolean): (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D {
  return tf.customGrad((x, w, b, save) => {
    let y: tf.Tensor;
    if (activation === 'tanh') {
      // tanh(z) = 2·σ(2z) − 1: wasm's tanh is scalar libm (~12 ns/element) while a sigmoid fused into
      // the matMul is nearly free, so scale W and b by 2 (small tensors) and fuse the sigmoid.
      const s = tf.fused.matMul({
        a: x as tf.Tensor2D,
        b: tf.mul(w as tf.Tensor2D, 2),
        bias: tf.mul(b as tf.Tensor1D, 2),
        activation: 'sigmoid',
      });
      y = tf.sub(tf.mul(s, 2), 1);
    } else {
      y = tf.fused.matMul({
        a: x as tf.Tensor2D,
        b: w as tf.Tensor2D,
        bias: b as tf.Tensor1D,
        activation: activation === 'relu' ? 'relu' : 'linear',
      });
    }
    (save as tf.GradSaveFunc)([x as tf.Tensor, w as tf.Tensor, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as tf.Tensor2D[];
        let dz = dy as tf.Tensor2D;
        if (activation === 'tanh') dz = tf.mul(dz, tf.sub(1, tf.square(sy)));
        else if (activation === 'relu') dz = tf.mul(dz, tf.step(sy));
        const dx = inputGrad ? matMul(dz, tf.transpose(sw)) : tf.zerosLike(sx);
        const dw = matMul(tf.transpose(sx), dz);
        const db = tf.reshape(matMul(tf.ones([1, sx.shape[0]]), dz), [sw.shape[1]]);
        return [dx, dw, db];
      },
    };
  }) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
}

/** What the explicit backward of a layer needs from its forward: the input and the activation's output. */
export interface DenseTrace {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/** ∂L/∂W, ∂L/∂b and, when asked for, ∂L/∂x of one layer. */
export interface DenseGrads {
  dw: tf.Tensor2D;
  db: tf.Tensor1D;
  dx?: tf.Tensor2D;
}

/** The transpose of a `rows × n` matrix (a reshape when n is 1). */
function transposeTall(m: tf.Tensor2D): tf.Tensor2D {
  return m.shape[1] === 1 ? tf.reshape(m, [1, m.shape[0]]) : tf.transpose(m);
}

export class Dense {
  readonly w: number;
  readonly b: number;
  private readonly op: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

  constructor(
    store: ParamStore,
    name: string,
    readonly inSize: number,
    readonly outSize: number,
    readonly activation: Activation,
    gain: number,
    rng: Rng,
    /** False when the input is data (a first layer): its gradient is not computed. */
    inputGrad = true,
  ) {
    this.op = denseOp(activation, inputGrad);
    this.w = store.add(`${name}.weight`, [inSize, outSize], orthogonal(inSize, outSize, gain, rng));
    this.b = store.add(`${name}.bias`, [outSize], zeros(outSize));
  }

  apply(p: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
    return this.op(x, p[this.w] as tf.Tensor2D, p[this.b] as tf.Tensor1D);
  }

  /**
   * The forward of `apply` outside tfjs's tape, for a caller that backpropagates itself with `backward`
   * (no gradient bookkeeping, no copies of saved tensors). Unfused (default), it computes what `apply`
   * computes inside tf.variableGrads bit for bit: tfjs then unfuses x·W, + b and the activation, which
   * rounds differently from the fused op. `fused` takes the fused op (fewer passes over the output).
   * Call inside tf.tidy.
   */
  forward(p: tf.Tensor[], x: tf.Tensor2D, fused = false): DenseTrace {
    let w = p[this.w] as tf.Tensor2D;
    let b = p[this.b] as tf.Tensor1D;
    if (this.activation === 'tanh') {
      // As denseOp: tanh(z) = 2·σ(2z) − 1.
      w = tf.mul(w, 2);
      b = tf.mul(b, 2);
    }
    const activation = this.activation === 'tanh' ? 'sigmoid' : this.activation;
    let y: tf.Tensor2D;
    if (fused || activation === 'linear') y = tf.fused.matMul({ a: x, b: w, bias: b, activation }) as tf.Tensor2D;
    else {
      const z = tf.add<tf.Tensor2D>(tf.matMul(x, w), b);
      y = activation === 'relu' ? tf.relu(z) : tf.sigmoid(z);
    }
    if (this.activation === 'tanh') y = tf.sub<tf.Tensor2D>(tf.mul(y, 2), 1);
    return { x, y };
  }

  /**
   * The gradients of `forward` from ∂L/∂y, with untransposed products only (wasm's fast matMul).
   * ∂L/∂W = xᵀ·dz is a sum over the batch rows. wasm's product repacks its right operand on every call
   * (a pass over it that costs several times the arithmetic when that operand is tall), so the narrower
   * of x and dz is kept on the right and the wider one is transposed.
   */
  backward(p: tf.Tensor[], { x, y }: DenseTrace, dy: tf.Tensor2D, wantDx: boolean): DenseGrads {
    const dz = this.activationGrad(y, dy);
    const rows = x.shape[0];
    const { inSize, outSize } = this;
    let dw: tf.Tensor2D;
    let db: tf.Tensor1D;
    if (outSize <= inSize) {
      dw = tf.matMul(transposeTall(x), dz);
      // The same right operand again: wasm reuses its packed form.
      db = tf.reshape<tf.Rank.R1>(tf.matMul(tf.fill([1, rows], 1), dz), [outSize]);
    } else {
      const dzT = transposeTall(dz);
      dw = tf.transpose(tf.matMul<tf.Tensor2D>(dzT, x));
      db = tf.sum(dzT, 1);
    }
    const dx = wantDx ? tf.matMul<tf.Tensor2D>(dz, tf.transpose(p[this.w] as tf.Tensor2D)) : undefined;
    return { dw, db, dx };
  }

  /** ∂L/∂z from ∂L/∂y, y = act(z), written with y. */
  activationGrad(y: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
    if (this.activation === 'tanh') return tf.mul<tf.Tensor2D>(dy, tf.sub(1, tf.square(y)));
    if (this.activation === 'relu') return tf.mul<tf.Tensor2D>(dy, tf.step(y));
    return dy;
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

  /**
   * The same function on the CPU copy of the parameters: x is `batch × inSize`, row-major. Dot products
   * run in float64 with four accumulators (V8 keeps them in registers), the output is float32 as tfjs's.
   */
  applyCpu(values: Float32Array, store: ParamStore, x: Float32Array, batch: number): Float32Array {
    const nIn = this.inSize;
    const nOut = this.outSize;
    const { wt, b } = this.cpuWeights(values, store);
    const y = new Float32Array(batch * nOut);
    const act = this.activation;
    const n4 = nIn - (nIn % 4);
    for (let r = 0; r < batch; r++) {
      const xRow = r * nIn;
      for (let j = 0; j < nOut; j++) {
        const wRow = j * nIn;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let k = 0;
        for (; k < n4; k += 4) {
          s0 += x[xRow + k] * wt[wRow + k];
          s1 += x[xRow + k + 1] * wt[wRow + k + 1];
          s2 += x[xRow + k + 2] * wt[wRow + k + 2];
          s3 += x[xRow + k + 3] * wt[wRow + k + 3];
        }
        for (; k < nIn; k++) s0 += x[xRow + k] * wt[wRow + k];
        const sum = b[j] + (s0 + s1 + (s2 + s3));
        y[r * nOut + j] = act === 'tanh' ? Math.tanh(sum) : act === 'relu' && sum < 0 ? 0 : sum;
      }
    }
    return y;
  }
}
