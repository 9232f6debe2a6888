/**
 * The per-item scoring network for queue-shaped observations (RLScheduler's policy, Zhang et al.,
 * "RLScheduler", SC 2020): the observation is `itemCount` rows of `itemSize` features; one small MLP,
 * shared by every row, maps a row to one logit, so the policy scores each visible job on its own
 * features and is invariant to where in the queue a job sits. Output: `batch × itemCount` logits.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.js';
import type { Activation, DenseTrace } from './dense.js';
import { packDistinctItems, spreadDistinctScores } from './item-rows.js';
import { Mlp } from './mlp.js';
import type { ParamStore } from './params.js';

export interface ItemScorerConfig {
  itemCount: number;
  itemSize: number;
  /** Hidden sizes of the shared row MLP (RLScheduler: 32, 16, 8). */
  hidden: number[];
  activation: Activation;
  outGain?: number;
}

export class ItemScorer {
  private readonly mlp: Mlp;
  readonly outSize: number;

  constructor(
    store: ParamStore,
    name: string,
    readonly config: ItemScorerConfig,
    rng: Rng,
  ) {
    this.mlp = new Mlp(
      store,
      name,
      {
        inSize: config.itemSize,
        hidden: config.hidden,
        activation: config.activation,
        outSize: 1,
        outGain: config.outGain ?? 0.01,
        inputGrad: false,
      },
      rng,
    );
    this.outSize = config.itemCount;
  }

  apply(p: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
    const batch = x.shape[0];
    const rows = tf.reshape<tf.Rank.R2>(x, [batch * this.config.itemCount, this.config.itemSize]);
    return tf.reshape<tf.Rank.R2>(this.mlp.apply(p, rows), [batch, this.config.itemCount]);
  }

  /**
   * The scores of individual items (`rows × itemSize`, e.g. only the valid items of a batch: see
   * item-rows.ts), `rows × 1`, outside tfjs's tape with what `backwardRows` needs (`fused`: see
   * Dense.forward). Call inside tf.tidy.
   */
  forwardRows(p: tf.Tensor[], rows: tf.Tensor2D, fused = false): { scores: tf.Tensor2D; traces: DenseTrace[] } {
    const { y, traces } = this.mlp.forward(p, rows, fused);
    return { scores: y, traces };
  }

  /** The parameters' gradients from ∂L/∂score of each row (`rows × 1`), written at their indices in `grads`. */
  backwardRows(p: tf.Tensor[], traces: DenseTrace[], dScores: tf.Tensor2D, grads: tf.Tensor[]): void {
    this.mlp.backward(p, traces, dScores, grads);
  }

  /** `apply` on the CPU copy of the parameters; each observation's trailing copies of its last item (padding) are scored once. */
  applyCpu(values: Float32Array, x: Float32Array, batch: number): Float32Array {
    const { itemCount, itemSize } = this.config;
    const items = packDistinctItems(x, batch, itemCount, itemSize);
    return spreadDistinctScores(items, this.mlp.applyCpu(values, items.rows, items.count), itemCount);
  }
}
