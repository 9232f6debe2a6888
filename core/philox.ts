/**
 * Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel Random Numbers: As Easy as 1, 2, 3", SC 2011;
 * the Random123 library), the counter-based generator behind TensorFlow's CPU random ops, and
 * TensorFlow's seeded `tf.multinomial` on top of it (TensorFlow 1.x `MultinomialOp` on the CPU), so a
 * policy trained and evaluated in TensorFlow with a seeded sampler replays exactly here.
 *
 * TensorFlow's use of it, as far as the multinomial goes: key = (seed low 32 bits, seed high 32 bits),
 * counter starting at (0, 0, seed2 low, seed2 high); each op call samples with the generator at its
 * current counter and then skips ahead by ceil-to-4(samples × 2 × 256) blocks (128-bit counter, carry
 * from the low 64 bits into the high ones); a uniform double comes from the first two words r0, r1 of
 * the block as ((r0 & 0xFFFFF)·2³² + r1) / 2⁵² (TensorFlow's Uint64ToDouble).
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** The high 32 bits of the 64-bit product of two unsigned 32-bit integers, exactly. */
function mulhi(a: number, b: number): number {
  const aHi = a >>> 16;
  const aLo = a & 0xffff;
  const bHi = b >>> 16;
  const bLo = b & 0xffff;
  const lolo = aLo * bLo;
  const mid1 = aHi * bLo;
  const mid2 = aLo * bHi;
  const carry = ((lolo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + carry) >>> 0;
}

/** One Philox4x32-10 block: the four 32-bit words for `counter` (4 words) under `key` (2 words). */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>): Uint32Array {
  let [x0, x1, x2, x3] = [counter[0] >>> 0, counter[1] >>> 0, counter[2] >>> 0, counter[3] >>> 0];
  let [k0, k1] = [key[0] >>> 0, key[1] >>> 0];
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    [x0, x1, x2, x3] = [(hi1 ^ x1 ^ k0) >>> 0, lo1, (hi0 ^ x3 ^ k1) >>> 0, lo0];
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return Uint32Array.of(x0, x1, x2, x3);
}

/** TensorFlow's Uint64ToDouble: a double in [0, 1) from two 32-bit words (52 mantissa bits). */
export function tfUint64ToDouble(r0: number, r1: number): number {
  return ((r0 & 0xfffff) * 4294967296 + (r1 >>> 0)) / 4503599627370496;
}

/** A JSON-safe state: the generator's key and current counter. */
export interface TfMultinomialState {
  key: [number, number];
  counter: [number, number, number, number];
}

/**
 * TensorFlow 1.x's seeded CPU `tf.multinomial(logits, 1)` for one row of logits per call: the op seeds
 * (`seed`, `seed2`) fix the stream, and every call advances it as the op does, so the n-th call here
 * draws what the n-th `sess.run` of that op drew.
 */
export class TfMultinomial {
  private readonly key: Uint32Array;
  private readonly counter: Uint32Array;

  constructor(seed: number, seed2: number) {
    for (const [name, v] of [
      ['seed', seed],
      ['seed2', seed2],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`TfMultinomial: ${name} must be a non-negative integer, got ${v}`);
    }
    this.key = Uint32Array.of(seed % 4294967296, Math.floor(seed / 4294967296));
    this.counter = Uint32Array.of(0, 0, seed2 % 4294967296, Math.floor(seed2 / 4294967296));
  }

  static fromState(state: TfMultinomialState): TfMultinomial {
    const sampler = new TfMultinomial(0, 0);
    sampler.key.set(state.key);
    sampler.counter.set(state.counter);
    return sampler;
  }

  state(): TfMultinomialState {
    return { key: [this.key[0], this.key[1]], counter: [this.counter[0], this.counter[1], this.counter[2], this.counter[3]] };
  }

  /** The next call's uniform draw in [0, 1), advancing the stream by one op call. */
  nextUniform(): number {
    const block = philox4x32(this.counter, this.key);
    this.skip(2048); // ceil-to-4(1 sample × 2 × 256) blocks per call
    return tfUint64ToDouble(block[0], block[1]);
  }

  /**
   * One sample from softmax(`logits`) as TensorFlow draws it: in double precision, m = max logit,
   * cdf_i = Σ_{j ≤ i} exp(logit_j − m), and the first i with cdf_i > u · cdf_last.
   */
  sample(logits: ArrayLike<number>): number {
    const u = this.nextUniform();
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
    const cdf = new Float64Array(logits.length);
    let total = 0;
    for (let i = 0; i < logits.length; i++) {
      total += Math.exp(logits[i] - max);
      cdf[i] = total;
    }
    const threshold = u * total;
    for (let i = 0; i < cdf.length; i++) if (cdf[i] > threshold) return i;
    return cdf.length - 1;
  }

  /** Advances the 128-bit counter by `blocks` (the low 64 bits carry into the high 64). */
  private skip(blocks: number): void {
    const lo = this.counter[0] + (blocks % 4294967296);
    this.counter[0] = lo >>> 0;
    const hi = this.counter[1] + Math.floor(blocks / 4294967296) + (lo >= 4294967296 ? 1 : 0);
    this.counter[1] = hi >>> 0;
    if (hi >= 4294967296) {
      const c2 = this.counter[2] + 1;
      this.counter[2] = c2 >>> 0;
      if (c2 >= 4294967296) this.counter[3] = (this.counter[3] + 1) >>> 0;
    }
  }
}
