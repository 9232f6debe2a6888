/**
 * RMSprop on one flat parameter vector, with PyTorch's update rule (torch.optim.RMSprop, not
 * centered, no momentum): v ← α·v + (1 − α)·g², θ ← θ − lr·g / (√v + ε). Stable-Baselines3's A2C uses
 * it with α = 0.99, ε = 1e-5. `epsInsideSqrt` gives the Theano/Lasagne form θ ← θ − lr·g / √(v + ε)
 * that DeepRM's rmsprop_updates_outside uses. State (v, step) is saved and restored exactly by checkpoints.
 */
import * as tf from '@tensorflow/tfjs';

export interface RmspropOptions {
  alpha?: number;
  eps?: number;
  epsInsideSqrt?: boolean;
}

export class FlatRmsprop {
  readonly alpha: number;
  readonly eps: number;
  readonly epsInsideSqrt: boolean;
  private v: tf.Variable<tf.Rank.R1>;
  /** Updates done so far. */
  step = 0;

  constructor(
    private readonly params: tf.Variable<tf.Rank.R1>,
    { alpha = 0.99, eps = 1e-8, epsInsideSqrt = false }: RmspropOptions = {},
  ) {
    this.epsInsideSqrt = epsInsideSqrt;
    this.alpha = alpha;
    this.eps = eps;
    const zeros = tf.zerosLike(params);
    this.v = tf.variable(zeros, false);
    zeros.dispose();
  }

  /** One descent step with gradient `grad` (same shape as the parameters) and learning rate `lr`. */
  apply(grad: tf.Tensor1D, lr: number): void {
    this.step++;
    tf.tidy(() => {
      const v = tf.add(tf.mul(this.v, this.alpha), tf.mul(tf.square(grad), 1 - this.alpha));
      const denom = this.epsInsideSqrt ? tf.sqrt(tf.add(v, this.eps)) : tf.add(tf.sqrt(v), this.eps);
      this.params.assign(tf.sub(this.params, tf.mul(tf.div(grad, denom), lr)));
      this.v.assign(v as tf.Tensor1D);
    });
  }

  /** The state as plain arrays, for checkpoints. */
  state(): { step: number; v: Float32Array } {
    return { step: this.step, v: this.v.dataSync() as Float32Array };
  }

  setState(s: { step: number; v: Float32Array }): void {
    this.step = s.step;
    tf.tidy(() => this.v.assign(tf.tensor1d(s.v)));
  }

  dispose(): void {
    this.v.dispose();
  }
}
