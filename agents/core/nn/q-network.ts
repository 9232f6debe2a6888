/**
 * The Q-network of value-based agents (DQN): an MLP from the flat observation to one Q-value per
 * action, its parameters in one ParamStore, plus a target copy in its own variable. `apply` runs the
 * graph on the online parameters or on the target ones (same layers, other flat vector), so both share
 * one definition. The hidden layers are orthogonally initialised from the run's seed (gain √2, output
 * gain 1); Stable-Baselines3 keeps PyTorch's default init there.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../envs/core/rng.js';
import type { Activation } from './dense.js';
import { Mlp } from './mlp.js';
import { ParamStore } from './params.js';

export interface QNetworkConfig {
  obsSize: number;
  numActions: number;
  hidden: number[];
  activation: Activation;
}

export class QNetwork {
  readonly store = new ParamStore();
  private readonly mlp: Mlp;
  /** The target network's parameters (same layout as `store`). */
  readonly target: tf.Variable<tf.Rank.R1>;

  constructor(readonly config: QNetworkConfig, rng: Rng) {
    this.mlp = new Mlp(this.store, 'q', { inSize: config.obsSize, hidden: config.hidden, activation: config.activation, outSize: config.numActions, outGain: 1 }, rng);
    this.store.build();
    const copy = this.store.variable.clone();
    this.target = tf.variable(copy, false) as tf.Variable<tf.Rank.R1>;
    copy.dispose();
  }

  /** Q-values (batch × actions) on `flat` parameters (the online ones by default). Call inside tf.tidy. */
  apply(x: tf.Tensor2D, flat?: tf.Tensor1D): tf.Tensor2D {
    return this.mlp.apply(this.store.views(flat), x);
  }

  /** Q-values of the online network on the CPU copy of its parameters. */
  qCpu(x: Float32Array, batch: number): Float32Array {
    return this.mlp.applyCpu(this.store.values, x, batch);
  }

  /** θ⁻ ← τ·θ + (1 − τ)·θ⁻ (τ = 1: a hard copy, DQN's target update). */
  updateTarget(tau: number): void {
    tf.tidy(() => this.target.assign(tau === 1 ? this.store.variable : (tf.add(tf.mul(this.store.variable, tau), tf.mul(this.target, 1 - tau)) as tf.Tensor1D)));
  }

  dispose(): void {
    this.store.dispose();
    this.target.dispose();
  }
}
