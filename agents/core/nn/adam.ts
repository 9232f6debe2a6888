/**
 * Adam on one flat parameter vector, with PyTorch's update rule (bias-corrected moments, eps added
 * after the square root) and state (m, v, step) that checkpoints save and restore exactly.
 */
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class FlatAdam {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private m: tf.Variable<tf.Rank.R1>;
  private v: tf.Variable<tf.Rank.R1>;
  /** Updates done so far (PyTorch's `step`). */
  step = 0;

  constructor(
    private readonly params: tf.Variable<tf.Rank.R1>,
    { beta1 = 0.9, beta2 = 0.999, eps = 1e-8 }: AdamOptions = {},
  ) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    [this.m, this.v] = tf.tidy(() => [tf.variable(tf.zerosLike(params), false), tf.variable(tf.zerosLike(params), false)]);
  }

  /** One update with gradient `grad` (same shape as the parameters) and learning rate `lr`. */
  apply(grad: tf.Tensor1D, lr: number): void {
    this.step++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = lr / (1 - b1 ** this.step);
    const sqrtBias2 = Math.sqrt(1 - b2 ** this.step);
    tf.tidy(() => {
      const m = tf.add(tf.mul(this.m, b1), tf.mul(grad, 1 - b1));
      const v = tf.add(tf.mul(this.v, b2), tf.mul(tf.square(grad), 1 - b2));
      const denom = tf.add(tf.div(tf.sqrt(v), sqrtBias2), this.eps);
      this.params.assign(tf.sub(this.params, tf.mul(tf.div(m, denom), stepSize)));
      this.m.assign(m as tf.Tensor1D);
      this.v.assign(v as tf.Tensor1D);
    });
  }

  /** The state as plain arrays, for checkpoints. */
  state(): { step: number; m: Float32Array; v: Float32Array } {
    return { step: this.step, m: this.m.dataSync() as Float32Array, v: this.v.dataSync() as Float32Array };
  }

  setState(s: { step: number; m: Float32Array; v: Float32Array }): void {
    this.step = s.step;
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(s.m));
      this.v.assign(tf.tensor1d(s.v));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
