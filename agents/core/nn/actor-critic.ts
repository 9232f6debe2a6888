/**
 * The actor-critic network of PPO and A2C: an actor head (logits, or a Gaussian mean plus a
 * state-independent log-std) and a value head, with separate MLP bodies (CleanRL's default), one
 * shared body, or the per-item scoring actor for queue-shaped observations. All parameters live in
 * one ParamStore built from the run's seed.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.js';
import { Dense, type Activation, type DenseTrace } from './dense.js';
import {
  gatherItemRows,
  gatherItemValues,
  packDistinctItems,
  scatterItemValues,
  spreadDistinctScores,
  type ItemRows,
} from './item-rows.js';
import { ItemScorer } from './item-scorer.js';
import { Mlp } from './mlp.js';
import { ParamStore } from './params.js';

export interface ActorCriticConfig {
  obsSize: number;
  /** Logits (categorical) or mean size (Gaussian). */
  headSize: number;
  gaussian: boolean;
  /** 'separate' (CleanRL), 'shared' (one body, `pi` sizes), or 'items' (per-item scorer actor, MLP critic). */
  body: 'separate' | 'shared' | 'items';
  pi: number[];
  vf: number[];
  activation: Activation;
  /** For body 'items': features per item (the observation is headSize × itemSize). */
  itemSize?: number;
  initLogStd?: number;
}

export interface ActorCriticOutput {
  head: tf.Tensor2D;
  value: tf.Tensor1D;
  logStd?: tf.Tensor1D;
}

/** What `forwardRagged` returns, and keeps for `gradientRagged`. */
export interface RaggedForward {
  /** The actor's logits, batch × items; masked slots are 0 (not computed: their probability is 0). */
  head: Float32Array;
  value: Float32Array;
  params: tf.Tensor[];
  rows: ItemRows;
  actorTraces: DenseTrace[];
  criticTraces: DenseTrace[];
}

export class ActorCritic {
  readonly store = new ParamStore();
  /**
   * When set, `forwardCpu` and `valueCpu` (rollouts) run the tfjs graph with fused layers (on wasm: SIMD
   * matrix products over the whole batch, float32) instead of the float64 loops; `headCpu` (`act`) keeps
   * the loops. Much faster for wide networks such as the per-item scorer over 128 slots; the values
   * differ from the loops' in the last bits.
   */
  forwardInTfjs = false;
  private tfViews: { version: number; views: tf.Tensor[] } | undefined;
  private actor: Mlp | ItemScorer;
  private critic: Mlp;
  private body: Mlp | undefined;
  private actorHead: Dense | undefined;
  private criticHead: Dense | undefined;
  private logStd = -1;

  constructor(
    readonly config: ActorCriticConfig,
    rng: Rng,
  ) {
    const { obsSize, headSize, activation } = config;
    if (config.body === 'shared') {
      this.body = new Mlp(this.store, 'body', { inSize: obsSize, hidden: config.pi, activation, inputGrad: false }, rng);
      this.actorHead = new Dense(this.store, 'actor.out', this.body.outSize, headSize, 'linear', 0.01, rng);
      this.criticHead = new Dense(this.store, 'critic.out', this.body.outSize, 1, 'linear', 1, rng);
      this.actor = this.body;
      this.critic = this.body;
    } else {
      if (config.body === 'items') {
        const itemSize = config.itemSize ?? 0;
        if (itemSize * headSize !== obsSize)
          throw new Error(`ActorCritic: ${headSize} items × ${itemSize} features != observation size ${obsSize}`);
        this.actor = new ItemScorer(this.store, 'actor', { itemCount: headSize, itemSize, hidden: config.pi, activation }, rng);
      } else {
        this.actor = new Mlp(
          this.store,
          'actor',
          { inSize: obsSize, hidden: config.pi, activation, outSize: headSize, outGain: 0.01, inputGrad: false },
          rng,
        );
      }
      this.critic = new Mlp(
        this.store,
        'critic',
        { inSize: obsSize, hidden: config.vf, activation, outSize: 1, outGain: 1, inputGrad: false },
        rng,
      );
    }
    if (config.gaussian) this.logStd = this.store.add('actor.logstd', [headSize], new Float32Array(headSize).fill(config.initLogStd ?? 0));
    this.store.build();
  }

  /** The graph on the stored parameters (or on `flat`, e.g. inside tf.variableGrads). Call inside tf.tidy. */
  apply(x: tf.Tensor2D, flat?: tf.Tensor1D): ActorCriticOutput {
    const p = this.store.views(flat);
    let head: tf.Tensor2D;
    let value: tf.Tensor2D;
    if (this.body) {
      const h = this.body.apply(p, x);
      head = this.actorHead!.apply(p, h);
      value = this.criticHead!.apply(p, h);
    } else {
      head = this.actor.apply(p, x);
      value = this.critic.apply(p, x);
    }
    return { head, value: tf.reshape<tf.Rank.R1>(value, [-1]), logStd: this.logStd >= 0 ? (p[this.logStd] as tf.Tensor1D) : undefined };
  }

  /**
   * The update's forward with body 'items' on the valid items only (item-rows.ts): the actor scores
   * the items whose action mask is 1 (the others have probability 0), the critic reads the whole
   * observation. Outside tfjs's tape (see `gradientRagged`); unless `fused`, the values are those of
   * `apply` inside tf.variableGrads bit for bit (Dense.forward). Call inside tf.tidy.
   */
  forwardRagged(obs: Float32Array, mask: Uint8Array | undefined, batch: number, fused = false): RaggedForward {
    const scorer = this.itemScorer();
    const { itemCount, itemSize } = scorer.config;
    const params = this.store.detachedViews();
    const rows = gatherItemRows(obs, mask, batch, itemCount, itemSize);
    const actor = scorer.forwardRows(params, tf.tensor2d(rows.x, [rows.count, itemSize]), fused);
    const critic = this.critic.forward(params, tf.tensor2d(obs, [batch, this.config.obsSize]), fused);
    return {
      head: scatterItemValues(rows, actor.scores.dataSync(), itemCount, new Float32Array(batch * itemCount)),
      value: critic.y.dataSync() as Float32Array,
      params,
      rows,
      actorTraces: actor.traces,
      criticTraces: critic.traces,
    };
  }

  /**
   * ∇θ of a loss from its gradients with respect to `forwardRagged`'s head (batch × items; only the
   * computed slots are read) and values: backpropagation written out, in the store's flat layout. Call
   * inside tf.tidy.
   */
  gradientRagged(f: RaggedForward, gHead: ArrayLike<number>, gValue: Float32Array): tf.Tensor1D {
    const scorer = this.itemScorer();
    const grads = new Array<tf.Tensor>(this.store.specs.length);
    const dScores = gatherItemValues(f.rows, gHead, scorer.config.itemCount);
    scorer.backwardRows(f.params, f.actorTraces, tf.tensor2d(dScores, [f.rows.count, 1]), grads);
    this.critic.backward(f.params, f.criticTraces, tf.tensor2d(gValue, [gValue.length, 1]), grads);
    return tf.concat<tf.Tensor1D>(this.store.specs.map((s, i) => tf.reshape<tf.Rank.R1>(grads[i], [s.size])));
  }

  private itemScorer(): ItemScorer {
    if (!(this.actor instanceof ItemScorer)) throw new Error("ActorCritic: the ragged forward needs body 'items'");
    return this.actor;
  }

  /** The parameter views for `forwardInTfjs`, read once per parameter change. */
  private viewsForForward(): tf.Tensor[] {
    if (this.tfViews?.version !== this.store.version) {
      if (this.tfViews) tf.dispose(this.tfViews.views);
      this.tfViews = { version: this.store.version, views: tf.tidy(() => this.store.detachedViews()) };
    }
    return this.tfViews.views;
  }

  /**
   * Head and value by the tfjs graph on the current parameters (`forwardInTfjs`). The per-item actor
   * scores each observation's trailing copies of its last item once (item-rows.ts): copies score alike.
   */
  private forwardTf(x: Float32Array, batch: number, head: boolean): { head: Float32Array; value: Float32Array } {
    const p = this.viewsForForward();
    return tf.tidy(() => {
      const obs = tf.tensor2d(x, [batch, this.config.obsSize]);
      const value = this.critic.forward(p, obs, true).y.dataSync() as Float32Array;
      if (!head) return { head: new Float32Array(0), value };
      if (!(this.actor instanceof ItemScorer)) return { head: this.actor.forward(p, obs, true).y.dataSync() as Float32Array, value };
      const { itemCount, itemSize } = this.actor.config;
      const items = packDistinctItems(x, batch, itemCount, itemSize);
      const scores = this.actor.forwardRows(p, tf.tensor2d(items.rows, [items.count, itemSize]), true).scores.dataSync();
      const out = spreadDistinctScores(items, scores, itemCount);
      return { head: out, value };
    });
  }

  /** The actor head on the CPU copy of the parameters: batch × headSize. */
  headCpu(x: Float32Array, batch: number): Float32Array {
    const v = this.store.values;
    if (this.body) return this.actorHead!.applyCpu(v, this.store, this.body.applyCpu(v, x, batch), batch);
    return this.actor.applyCpu(v, x, batch);
  }

  /** Head and value on the CPU, sharing the body's work when it is shared. */
  forwardCpu(x: Float32Array, batch: number): { head: Float32Array; value: Float32Array } {
    if (this.forwardInTfjs && !this.body) return this.forwardTf(x, batch, true);
    const v = this.store.values;
    if (this.body) {
      const h = this.body.applyCpu(v, x, batch);
      return { head: this.actorHead!.applyCpu(v, this.store, h, batch), value: this.criticHead!.applyCpu(v, this.store, h, batch) };
    }
    return { head: this.actor.applyCpu(v, x, batch), value: this.critic.applyCpu(v, x, batch) };
  }

  valueCpu(x: Float32Array, batch: number): Float32Array {
    if (this.forwardInTfjs && !this.body) return this.forwardTf(x, batch, false).value;
    const v = this.store.values;
    if (this.body) return this.criticHead!.applyCpu(v, this.store, this.body.applyCpu(v, x, batch), batch);
    return this.critic.applyCpu(v, x, batch);
  }

  /** The Gaussian log-std on the CPU (empty when categorical). */
  logStdCpu(): Float32Array {
    if (this.logStd < 0) return new Float32Array(0);
    const off = this.store.offset(this.logStd);
    return this.store.values.subarray(off, off + this.config.headSize);
  }

  dispose(): void {
    if (this.tfViews) tf.dispose(this.tfViews.views);
    this.tfViews = undefined;
    this.store.dispose();
  }
}
