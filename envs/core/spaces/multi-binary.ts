import { OptionError } from '../../../core/errors.js';
import { isNumericArray, Space, type SpaceJSON } from './space.js';

/**
 * Binary vectors (Gymnasium's `MultiBinary(n)`): `n` is a length or a shape; values are Int8Arrays of
 * 0/1 laid out row-major.
 */
export class MultiBinary extends Space<Int8Array> {
  readonly n: number | readonly number[];
  readonly size: number;

  constructor(n: number | readonly number[]) {
    const shape = typeof n === 'number' ? [n] : Array.isArray(n) ? [...(n as readonly number[])] : null;
    if (!shape || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new OptionError('n', `is ${JSON.stringify(n)}`, 'a positive integer or an array of positive integers (a shape)', 'MultiBinary');
    }
    super(shape, 'int8');
    this.n = typeof n === 'number' ? n : Object.freeze([...shape]);
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  /**
   * Uniform 0/1 per element; with `mask` (an int8 array of the same size) an element is 0 where the
   * mask is 0, 1 where it is 1 and random where it is 2, as Gymnasium (which draws for every element).
   */
  sample(mask?: ArrayLike<number>): Int8Array {
    const rng = this.npRandom;
    const out = new Int8Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = rng.integers(0, 2);
    if (mask === undefined) return out;
    if (!isNumericArray(mask) || mask.length !== this.size) {
      throw new OptionError('mask', `has length ${mask?.length}`, `an array of ${this.size} values in {0, 1, 2}`, 'MultiBinary.sample');
    }
    for (let i = 0; i < this.size; i++) {
      const m = mask[i];
      if (m !== 0 && m !== 1 && m !== 2)
        throw new OptionError('mask', `has ${m} at index ${i}`, '0 (never), 1 (always) or 2 (random)', 'MultiBinary.sample');
      if (m !== 2) out[i] = m;
    }
    return out;
  }

  contains(x: unknown): boolean {
    if (!isNumericArray(x) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) if (x[i] !== 0 && x[i] !== 1) return false;
    return true;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiBinary', n: typeof this.n === 'number' ? this.n : [...this.n] };
  }

  toString(): string {
    return `MultiBinary(${typeof this.n === 'number' ? this.n : `[${this.n.join(' ')}]`})`;
  }
}
