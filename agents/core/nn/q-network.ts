/**
 * The Q-network of value-based agents (DQN): an MLP from the flat observation to one Q-value per
 * action, its parameters in one ParamStore, plus a target copy in its own variable. `apply` runs the
 * graph on the online parameters or on the target ones (same layers, other flat vector), so both share
 * one definition. Weights come from the run's seed: PyTorch's default nn.Linear init (as SB3's DQN) or
 * orthogonal (gain √2, output gain 1).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng.js';
import type { Activation } from './dense.js';
import { Mlp } from './mlp.js';
import { ParamStore } from './params.js';

export interface QNetworkConfig {
  obsSize: number;
  numActions: number;
  hidden: number[];
  activation: Activation;
  /** 'torch': PyTorch's nn.Linear default, U(±1/√fan_in) for weights and biases (what SB3's DQN keeps); 'orthogonal': CleanRL's layer_init. */
  init: 'torch' | 'orthogonal';
}

export class QNetwork {
  readonly store = new ParamStore();
  private readonly mlp: Mlp;
  /** The target network's parameters (same layout as `store`). */
  readonly target: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly config: QNetworkConfig,
    rng: Rng,
  ) {
    this.mlp = new Mlp(
      this.store,
      'q',
      { inSize: config.obsSize, hidden: config.hidden, activation: config.activation, outSize: config.numActions, outGain: 1 },
      rng,
    );
    this.store.build();
    if (config.init === 'torch') {
      const values = torchDefaultInit(this.store, rng);
      tf.tidy(() => this.store.variable.assign(tf.tensor1d(values)));
      this.store.sync();
    }
    const copy = this.store.variable.clone();
    this.target = tf.variable<tf.Rank.R1>(copy, false);
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
    tf.tidy(() =>
      this.target.assign(
        tau === 1 ? this.store.variable : tf.add<tf.Tensor1D>(tf.mul(this.store.variable, tau), tf.mul(this.target, 1 - tau)),
      ),
    );
  }

  dispose(): void {
    this.store.dispose();
    this.target.dispose();
  }
}

/** U(−1/√fan_in, 1/√fan_in) for every weight and bias (torch.nn.Linear.reset_parameters), drawn from `rng`. */
function torchDefaultInit(store: ParamStore, rng: Rng): Float32Array {
  const values = new Float32Array(store.size);
  const fanIn = new Map<string, number>();
  for (const s of store.specs) if (s.name.endsWith('.weight')) fanIn.set(s.name.slice(0, -'.weight'.length), s.shape[0]);
  for (const s of store.specs) {
    const bound = 1 / Math.sqrt(fanIn.get(s.name.replace(/\.(weight|bias)$/, '')) ?? 1);
    for (let i = 0; i < s.size; i++) values[s.offset + i] = rng.uniform(-bound, bound);
  }
  return values;
}
