/** Global grad-norm clipping, as torch.nn.utils.clip_grad_norm_: g · min(1, maxNorm / (‖g‖ + 1e-6)). */
import * as tf from '@tensorflow/tfjs';

/** Call inside tf.tidy; returns the clipped gradient and the norm before clipping. */
export function clipGradNorm(g: tf.Tensor1D, maxNorm: number): { grad: tf.Tensor1D; norm: tf.Scalar } {
  const norm = tf.sqrt(tf.sum(tf.square(g))) as tf.Scalar;
  const coef = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  return { grad: tf.mul<tf.Tensor1D>(g, coef), norm };
}
