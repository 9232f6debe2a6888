/**
 * Action distributions of the policy-gradient agents, each in two forms: a CPU form that samples with
 * the agent's seeded Rng (never tf.random) from a Float32Array head, and a tfjs form giving the
 * log-probability and entropy of stored actions for the loss.
 *
 * - MaskedCategorical: Discrete and MultiDiscrete (one categorical per dimension). Masked entries
 *   (mask 0) get logit −1e8, never −inf, so p·log p = 0 and gradients stay finite; −inf logits from a
 *   caller are clamped to −1e8 too. A group whose mask allows nothing is treated as unmasked.
 * - DiagGaussian: Box actions, mean from the network and a state-independent log-std (CleanRL's
 *   ppo_continuous_action); sampled actions are clipped to the bounds only when passed to the env.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng.js';
import { Box } from '../../envs/core/spaces/box.js';
import { Discrete } from '../../envs/core/spaces/discrete.js';
import { MultiDiscrete } from '../../envs/core/spaces/multi-discrete.js';
import type { Space } from '../../envs/core/spaces/space.js';

export const MASKED_LOGIT = -1e8;
const LOG_2PI = Math.log(2 * Math.PI);

/** What every policy distribution provides; `PolicyDistribution` is the union of the two, told apart by `kind`. */
interface DistributionContract {
  readonly kind: 'categorical' | 'gaussian';
  /** Network head width (logits, or Gaussian means). */
  readonly headSize: number;
  /** Numbers stored per action in buffers (1 per categorical dimension, `dim` for Gaussian). */
  readonly actionDim: number;
  /** Width of the tf-side action encoding (one-hot for categorical). */
  readonly encodedSize: number;
  /** Mask width (sum of categories), 0 when the space has no masks. */
  readonly maskSize: number;
  /**
   * Samples (or picks the mode of) row `row` of `head`, writes the action into `out[outOff...]`,
   * returns its log-probability.
   */
  sampleCpu(
    head: Float32Array,
    row: number,
    mask: ArrayLike<number> | undefined,
    maskOff: number,
    rng: Rng,
    deterministic: boolean,
    out: Float32Array,
    outOff: number,
    logStd?: Float32Array,
  ): number;
  /** Writes the tf-side encoding of `batch` stored actions (`actions[i·actionDim...]`) into `out`. */
  encode(actions: Float32Array, rows: ArrayLike<number>, out: Float32Array): void;
  /** Log-probabilities and entropies (both [B]); `maskPenalty` is 0 for valid and −1e8 for masked entries. */
  logProbEntropy(
    head: tf.Tensor2D,
    encoded: tf.Tensor2D,
    maskPenalty?: tf.Tensor2D,
    logStd?: tf.Tensor1D,
  ): { logProb: tf.Tensor1D; entropy: tf.Tensor1D };
  /** The env's action from a stored action row. */
  toEnvAction(action: Float32Array, off: number): unknown;
  /**
   * On the CPU, for row `row` of `head` and the stored action at `actions[actOff...]`: returns the
   * log-probability and entropy, and writes their gradients with respect to the head row (`dLogp`,
   * `dEnt`, length headSize) and, for the Gaussian, to the log-std (`dLogpStd`, `dEntStd`).
   */
  statsCpu(
    head: ArrayLike<number>,
    row: number,
    actions: Float32Array,
    actOff: number,
    mask: ArrayLike<number> | undefined,
    maskOff: number,
    logStd: ArrayLike<number> | undefined,
    grads: DistGrads,
  ): { logProb: number; entropy: number };
}

export interface DistGrads {
  dLogp: Float64Array;
  dEnt: Float64Array;
  dLogpStd: Float64Array;
  dEntStd: Float64Array;
}

export class MaskedCategorical implements DistributionContract {
  readonly kind = 'categorical';
  readonly headSize: number;
  readonly actionDim: number;
  readonly encodedSize: number;
  readonly maskSize: number;
  private readonly offsets: number[];

  constructor(
    readonly nvec: number[],
    readonly start: number[],
    /** A Discrete space gives a number to the env, a MultiDiscrete one an array. */
    readonly scalar: boolean,
  ) {
    this.headSize = nvec.reduce((a, b) => a + b, 0);
    this.actionDim = nvec.length;
    this.encodedSize = this.headSize;
    this.maskSize = this.headSize;
    this.offsets = [];
    let o = 0;
    for (const n of nvec) {
      this.offsets.push(o);
      o += n;
    }
  }

  sampleCpu(
    head: Float32Array,
    row: number,
    mask: ArrayLike<number> | undefined,
    maskOff: number,
    rng: Rng,
    deterministic: boolean,
    out: Float32Array,
    outOff: number,
  ): number {
    let logProb = 0;
    const base = row * this.headSize;
    for (let d = 0; d < this.nvec.length; d++) {
      const n = this.nvec[d];
      const lo = base + this.offsets[d];
      const mo = maskOff + this.offsets[d];
      let anyValid = mask === undefined;
      if (mask) for (let i = 0; i < n; i++) if (mask[mo + i]) anyValid = true;
      const valid = (i: number) => !mask || !anyValid || mask[mo + i] !== 0;
      let max = -Infinity;
      let best = 0;
      for (let i = 0; i < n; i++) {
        if (!valid(i)) continue;
        const l = Math.max(head[lo + i], MASKED_LOGIT);
        if (l > max) {
          max = l;
          best = i;
        }
      }
      let sum = 0;
      for (let i = 0; i < n; i++) if (valid(i)) sum += Math.exp(Math.max(head[lo + i], MASKED_LOGIT) - max);
      let pick = best;
      if (!deterministic) {
        let u = rng.random() * sum;
        pick = -1;
        for (let i = 0; i < n; i++) {
          if (!valid(i)) continue;
          u -= Math.exp(Math.max(head[lo + i], MASKED_LOGIT) - max);
          pick = i;
          if (u < 0) break;
        }
      }
      out[outOff + d] = pick;
      logProb += Math.max(head[lo + pick], MASKED_LOGIT) - max - Math.log(sum);
    }
    return logProb;
  }

  statsCpu(
    head: ArrayLike<number>,
    row: number,
    actions: Float32Array,
    actOff: number,
    mask: ArrayLike<number> | undefined,
    maskOff: number,
    _logStd: ArrayLike<number> | undefined,
    g: DistGrads,
  ): { logProb: number; entropy: number } {
    let logProb = 0;
    let entropy = 0;
    const base = row * this.headSize;
    for (let d = 0; d < this.nvec.length; d++) {
      const n = this.nvec[d];
      const o = this.offsets[d];
      const mo = maskOff + o;
      let anyValid = mask === undefined;
      if (mask) for (let i = 0; i < n; i++) if (mask[mo + i]) anyValid = true;
      let max = -Infinity;
      for (let i = 0; i < n; i++) if (!mask || !anyValid || mask[mo + i]) max = Math.max(max, Math.max(head[base + o + i], MASKED_LOGIT));
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const valid = !mask || !anyValid || mask[mo + i];
        const e = valid ? Math.exp(Math.max(head[base + o + i], MASKED_LOGIT) - max) : 0;
        g.dLogp[o + i] = e; // p·sum for now
        sum += e;
      }
      const lse = max + Math.log(sum);
      let h = 0;
      for (let i = 0; i < n; i++) {
        const p = g.dLogp[o + i] / sum;
        const lp = p > 0 ? Math.max(head[base + o + i], MASKED_LOGIT) - lse : 0;
        g.dLogp[o + i] = p;
        g.dEnt[o + i] = lp; // log p for now
        h -= p * lp;
      }
      for (let i = 0; i < n; i++) {
        const p = g.dLogp[o + i];
        // dH/dz_i = −p_i (log p_i + H);  d log p_a / dz_i = 1[i = a] − p_i
        g.dEnt[o + i] = -p * (g.dEnt[o + i] + h);
        g.dLogp[o + i] = -p;
      }
      const a = actions[actOff + d];
      g.dLogp[o + a] += 1;
      logProb += Math.max(head[base + o + a], MASKED_LOGIT) - lse;
      entropy += h;
    }
    return { logProb, entropy };
  }

  encode(actions: Float32Array, rows: ArrayLike<number>, out: Float32Array): void {
    out.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const src = rows[r] * this.actionDim;
      for (let d = 0; d < this.nvec.length; d++) out[r * this.headSize + this.offsets[d] + actions[src + d]] = 1;
    }
  }

  logProbEntropy(head: tf.Tensor2D, oneHot: tf.Tensor2D, maskPenalty?: tf.Tensor2D): { logProb: tf.Tensor1D; entropy: tf.Tensor1D } {
    const logits = tf.maximum<tf.Tensor2D>(maskPenalty ? tf.add(head, maskPenalty) : head, MASKED_LOGIT);
    let logp: tf.Tensor2D;
    if (this.nvec.length === 1) logp = tf.logSoftmax(logits);
    else
      logp = tf.concat(
        tf.split(logits, this.nvec, 1).map((g) => tf.logSoftmax(g)),
        1,
      ) as tf.Tensor2D;
    const logProb = tf.sum<tf.Tensor1D>(tf.mul(logp, oneHot), 1);
    const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)) as tf.Tensor1D;
    return { logProb, entropy };
  }

  toEnvAction(action: Float32Array, off: number): unknown {
    if (this.scalar) return this.start[0] + action[off];
    const a = new Int32Array(this.nvec.length);
    for (let d = 0; d < a.length; d++) a[d] = this.start[d] + action[off + d];
    return a;
  }
}

export class DiagGaussian implements DistributionContract {
  readonly kind = 'gaussian';
  readonly headSize: number;
  readonly actionDim: number;
  readonly encodedSize: number;
  readonly maskSize = 0;

  constructor(
    readonly low: Float64Array,
    readonly high: Float64Array,
  ) {
    this.headSize = low.length;
    this.actionDim = low.length;
    this.encodedSize = low.length;
  }

  sampleCpu(
    head: Float32Array,
    row: number,
    _mask: ArrayLike<number> | undefined,
    _maskOff: number,
    rng: Rng,
    deterministic: boolean,
    out: Float32Array,
    outOff: number,
    logStd?: Float32Array,
  ): number {
    let logProb = 0;
    for (let d = 0; d < this.actionDim; d++) {
      const mean = head[row * this.headSize + d];
      const ls = logStd![d];
      const z = deterministic ? 0 : rng.normal();
      out[outOff + d] = mean + Math.exp(ls) * z;
      const a = out[outOff + d];
      const std = Math.exp(ls);
      logProb += -0.5 * ((a - mean) / std) ** 2 - ls - 0.5 * LOG_2PI;
    }
    return logProb;
  }

  statsCpu(
    head: ArrayLike<number>,
    row: number,
    actions: Float32Array,
    actOff: number,
    _mask: ArrayLike<number> | undefined,
    _maskOff: number,
    logStd: ArrayLike<number> | undefined,
    g: DistGrads,
  ): { logProb: number; entropy: number } {
    let logProb = 0;
    let entropy = 0;
    for (let d = 0; d < this.actionDim; d++) {
      const ls = logStd![d];
      const std = Math.exp(ls);
      const z = (actions[actOff + d] - head[row * this.headSize + d]) / std;
      logProb += -0.5 * z * z - ls - 0.5 * LOG_2PI;
      entropy += 0.5 + 0.5 * LOG_2PI + ls;
      g.dLogp[d] = z / std;
      g.dEnt[d] = 0;
      g.dLogpStd[d] = z * z - 1;
      g.dEntStd[d] = 1;
    }
    return { logProb, entropy };
  }

  encode(actions: Float32Array, rows: ArrayLike<number>, out: Float32Array): void {
    for (let r = 0; r < rows.length; r++)
      out.set(actions.subarray(rows[r] * this.actionDim, (rows[r] + 1) * this.actionDim), r * this.actionDim);
  }

  logProbEntropy(
    mean: tf.Tensor2D,
    actions: tf.Tensor2D,
    _mask?: tf.Tensor2D,
    logStd?: tf.Tensor1D,
  ): { logProb: tf.Tensor1D; entropy: tf.Tensor1D } {
    const ls = logStd!;
    const z = tf.div(tf.sub(actions, mean), tf.exp(ls));
    const logProb = tf.sub<tf.Tensor1D>(tf.sum(tf.mul(tf.square(z), -0.5), 1), tf.add(tf.sum(ls), 0.5 * LOG_2PI * this.actionDim));
    const entropy = tf.mul<tf.Tensor1D>(tf.onesLike(tf.reshape(logProb, [-1])), tf.add(tf.sum(ls), (0.5 + 0.5 * LOG_2PI) * this.actionDim));
    return { logProb, entropy };
  }

  toEnvAction(action: Float32Array, off: number): Float32Array {
    const a = new Float32Array(this.actionDim);
    for (let d = 0; d < this.actionDim; d++) a[d] = Math.min(this.high[d], Math.max(this.low[d], action[off + d]));
    return a;
  }
}

/** The policy distributions, a discriminated union on `kind`. */
export type PolicyDistribution = MaskedCategorical | DiagGaussian;

/** The distribution for an action space, or a string saying why the space is not supported. */
export function distributionFor(space: Space): PolicyDistribution | string {
  if (space instanceof Discrete) return new MaskedCategorical([space.n], [space.start], true);
  if (space instanceof MultiDiscrete) return new MaskedCategorical(Array.from(space.nvec), Array.from(space.start), false);
  if (space instanceof Box) {
    if (space.dtype !== 'float32' && space.dtype !== 'float64') return `a Box action space must be float, got ${space.dtype}`;
    return new DiagGaussian(space.low, space.high);
  }
  return `action space ${space.toString()} is not Discrete, MultiDiscrete or Box`;
}
