/**
 * The seeded generator every env, space and agent draws from: Gymnasium's `np_random`, built on
 * seedrandom's Alea (fast, with a state that can be saved and restored for exact resumption).
 * Nothing in schedlab uses Math.random.
 */
import { randomInt } from 'node:crypto';
import seedrandom from 'seedrandom';

export type RngState = { c: number; s0: number; s1: number; s2: number };

export class Rng {
  private prng: seedrandom.StatefulPRNG<RngState>;
  /** The seed this generator was created from (entropy-drawn when none was given). */
  readonly seed: number;
  private spareNormal: number | undefined;

  constructor(seed?: number, state?: RngState) {
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) {
      throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    }
    // Like Gymnasium, an unseeded generator takes its seed from OS entropy; the seed is recorded.
    this.seed = seed ?? randomInt(0, 2 ** 31 - 1);
    this.prng = seedrandom.alea(String(this.seed), { state: state ?? true });
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.prng();
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.prng();
  }

  /** Integer uniform in [low, high) (numpy's `integers`). */
  integers(low: number, high: number): number {
    return low + Math.floor(this.prng() * (high - low));
  }

  /** Standard normal (Marsaglia polar method). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + std * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.prng() - 1;
      v = 2 * this.prng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + std * u * f;
  }

  /** Exponential with the given rate. */
  exponential(rate: number): number {
    return -Math.log(1 - this.prng()) / rate;
  }

  /** A uniformly drawn element. */
  choice<T>(items: readonly T[]): T {
    return items[Math.floor(this.prng() * items.length)];
  }

  /** A new non-negative 31-bit integer, e.g. to seed a child generator. */
  nextSeed(): number {
    return Math.floor(this.prng() * 2147483647);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** The full generator state, for checkpoints and the env checker. */
  state(): { seed: number; alea: RngState; spareNormal: number | null } {
    return { seed: this.seed, alea: this.prng.state(), spareNormal: this.spareNormal ?? null };
  }

  static fromState(s: { seed: number; alea: RngState; spareNormal: number | null }): Rng {
    const rng = new Rng(s.seed, s.alea);
    rng.spareNormal = s.spareNormal ?? undefined;
    return rng;
  }
}

/**
 * A seed for one purpose of a run, derived from the run's seed and a label (FNV-1a over "seed:label"),
 * so two generators of one run (say the env's and the evaluator's action sampler) never share a stream.
 */
export function derivedSeed(seed: number, label: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${label}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}
