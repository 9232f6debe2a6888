import { OptionError } from '../../../core/errors.js';
import { sampleMaskedIndex } from './mask.js';
import { isNumericArray, Space, type SpaceJSON } from './space.js';

/**
 * A vector of discrete values: entry i lies in start[i], …, start[i] + nvec[i] − 1 (Gymnasium's
 * `MultiDiscrete(nvec, start=start)`, one-dimensional `nvec`). Values are Int32Arrays.
 */
export class MultiDiscrete extends Space<Int32Array> {
  readonly nvec: Int32Array;
  readonly start: Int32Array;

  constructor(nvec: ArrayLike<number>, start?: ArrayLike<number>) {
    if (!isNumericArray(nvec) || nvec.length === 0) {
      throw new OptionError('nvec', `is ${JSON.stringify(nvec)}`, 'a non-empty array of positive integers', 'MultiDiscrete');
    }
    const n = nvec.length;
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(nvec[i]) || nvec[i] <= 0) {
        throw new OptionError('nvec', `has ${nvec[i]} at index ${i}`, 'positive integers', 'MultiDiscrete');
      }
    }
    if (start !== undefined) {
      if (!isNumericArray(start) || start.length !== n) {
        throw new OptionError('start', `is ${JSON.stringify(start)}`, `an array of ${n} integers (one per entry of nvec)`, 'MultiDiscrete');
      }
      for (let i = 0; i < n; i++) {
        if (!Number.isInteger(start[i])) throw new OptionError('start', `has ${start[i]} at index ${i}`, 'integers', 'MultiDiscrete');
      }
    }
    super([n], 'int32');
    this.nvec = Int32Array.from(nvec);
    this.start = start === undefined ? new Int32Array(n) : Int32Array.from(start);
  }

  /**
   * Uniform per entry; with `mask`, entry i is drawn among the values whose `mask[i]` entry is 1
   * (`mask[i]` has length nvec[i]), and is start[i] when that mask allows none, as Gymnasium.
   */
  sample(mask?: readonly ArrayLike<number>[]): Int32Array {
    const rng = this.npRandom;
    const n = this.nvec.length;
    const out = new Int32Array(n);
    if (mask === undefined) {
      for (let i = 0; i < n; i++) out[i] = this.start[i] + rng.integers(0, this.nvec[i]);
      return out;
    }
    if (!Array.isArray(mask) || mask.length !== n) {
      throw new OptionError(
        'mask',
        `has ${Array.isArray(mask) ? mask.length : typeof mask} entries`,
        `an array of ${n} 0/1 arrays, one per dimension`,
        'MultiDiscrete.sample',
      );
    }
    for (let i = 0; i < n; i++) {
      const k = sampleMaskedIndex(rng, (mask as readonly ArrayLike<number>[])[i], this.nvec[i], `MultiDiscrete.sample (dimension ${i})`);
      out[i] = this.start[i] + (k < 0 ? 0 : k);
    }
    return out;
  }

  contains(x: unknown): boolean {
    if (!isNumericArray(x) || x.length !== this.nvec.length) return false;
    if (x instanceof Float32Array || x instanceof Float64Array) return false; // integer dtype only, as numpy's check
    for (let i = 0; i < this.nvec.length; i++) {
      const v = x[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < this.start[i] || v - this.start[i] >= this.nvec[i]) return false;
    }
    return true;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiDiscrete', nvec: Array.from(this.nvec), start: Array.from(this.start) };
  }

  toString(): string {
    const nvec = `[${Array.from(this.nvec).join(' ')}]`;
    return this.start.some((s) => s !== 0)
      ? `MultiDiscrete(${nvec}, start=[${Array.from(this.start).join(' ')}])`
      : `MultiDiscrete(${nvec})`;
  }
}
