import { OptionError } from '../../../core/errors.js';
import { isIntegerLike, Space, type SpaceJSON } from './space.js';

/** Actions or observations mask: 1 = allowed, 0 = not (Gymnasium's int8 `action_mask`). */
export type Mask = ArrayLike<number>;

/** The integers start, start + 1, …, start + n − 1. */
export class Discrete extends Space<number> {
  constructor(
    readonly n: number,
    readonly start = 0,
  ) {
    if (!Number.isInteger(n) || n <= 0) throw new OptionError('n', `is ${n}`, 'a positive integer', 'Discrete');
    if (!Number.isInteger(start)) throw new OptionError('start', `is ${start}`, 'an integer', 'Discrete');
    super([], 'int64');
  }

  /** Uniform over the values, or over those whose mask entry is 1; `start` when the mask allows none. */
  sample(mask?: Mask): number {
    const rng = this.npRandom;
    if (mask === undefined) return this.start + rng.integers(0, this.n);
    if (mask.length !== this.n) {
      throw new OptionError('mask', `has length ${mask.length}`, `a 0/1 array of length ${this.n}`, 'Discrete.sample');
    }
    let valid = 0;
    for (let i = 0; i < this.n; i++) {
      const m = mask[i];
      if (m !== 0 && m !== 1) throw new OptionError('mask', `has ${m} at index ${i}`, 'only 0 and 1', 'Discrete.sample');
      valid += m;
    }
    if (valid === 0) return this.start;
    let k = rng.integers(0, valid);
    for (let i = 0; i < this.n; i++) {
      if (mask[i] === 1 && k-- === 0) return this.start + i;
    }
    return this.start; // unreachable
  }

  contains(x: unknown): boolean {
    return isIntegerLike(x) && x >= this.start && x < this.start + this.n;
  }

  toJSON(): SpaceJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
