/**
 * The actor-critic network of PPO and A2C: an actor head (logits, or a Gaussian mean plus a
 * state-independent log-std) and a value head, with separate MLP bodies (CleanRL's default), one
 * shared body, or the per-item scoring actor for queue-shaped observations. All parameters live in
 * one ParamStore built from the run's seed.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.js';
import { Dense, type Activation } from './dense.js';
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

export class ActorCritic {
  readonly store = new ParamStore();
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

  /** The actor head on the CPU copy of the parameters: batch × headSize. */
  headCpu(x: Float32Array, batch: number): Float32Array {
    const v = this.store.values;
    if (this.body) return this.actorHead!.applyCpu(v, this.store, this.body.applyCpu(v, x, batch), batch);
    return this.actor.applyCpu(v, x, batch);
  }

  /** Head and value on the CPU, sharing the body's work when it is shared. */
  forwardCpu(x: Float32Array, batch: number): { head: Float32Array; value: Float32Array } {
    const v = this.store.values;
    if (this.body) {
      const h = this.body.applyCpu(v, x, batch);
      return { head: this.actorHead!.applyCpu(v, this.store, h, batch), value: this.criticHead!.applyCpu(v, this.store, h, batch) };
    }
    return { head: this.actor.applyCpu(v, x, batch), value: this.critic.applyCpu(v, x, batch) };
  }

  valueCpu(x: Float32Array, batch: number): Float32Array {
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
    this.store.dispose();
  }
}
