import { OptionError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import { seedChildren } from './composite-seed.js';
import { Space, type SpaceJSON } from './space.js';

/** A fixed-length sequence of subspaces (Gymnasium's `Tuple`); values are arrays. */
export class Tuple extends Space<unknown[]> {
  readonly spaces: readonly Space[];
  private ownRng: Rng | undefined;

  constructor(spaces: readonly Space[]) {
    if (!Array.isArray(spaces)) throw new OptionError('spaces', `is ${JSON.stringify(spaces)}`, 'an array of Spaces', 'Tuple');
    spaces.forEach((s, i) => {
      if (!(s instanceof Space)) throw new OptionError(`spaces[${i}]`, 'is not a Space', 'a Space instance', 'Tuple');
    });
    super(null, null);
    this.spaces = Object.freeze([...(spaces as readonly Space[])]);
  }

  override get npRandom(): Rng {
    if (!this.ownRng) this.ownRng = seedChildren([], undefined, 'Tuple').rng;
    return this.ownRng;
  }

  /** An integer seeds every subspace from one generator; an array gives each subspace its seed. */
  override seed(seed?: number | readonly number[]): number[] {
    if (Array.isArray(seed)) {
      if (seed.length !== this.spaces.length) {
        throw new OptionError('seed', `has ${seed.length} seeds`, `${this.spaces.length} seeds, one per subspace`, 'Tuple.seed');
      }
      return this.spaces.flatMap((s, i) => s.seed((seed as readonly number[])[i]));
    }
    const { rng, seeds } = seedChildren(this.spaces, seed as number | undefined, 'Tuple');
    this.ownRng = rng;
    return seeds;
  }

  /** A value per subspace; `mask` is an array of per-subspace masks (undefined entries are unmasked). */
  sample(mask?: readonly unknown[]): unknown[] {
    if (mask !== undefined && (!Array.isArray(mask) || mask.length !== this.spaces.length)) {
      throw new OptionError(
        'mask',
        `is ${JSON.stringify(mask)}`,
        `an array of ${this.spaces.length} masks, one per subspace`,
        'Tuple.sample',
      );
    }
    return this.spaces.map((s, i) => s.sample(mask?.[i]));
  }

  contains(x: unknown): boolean {
    return Array.isArray(x) && x.length === this.spaces.length && this.spaces.every((s, i) => s.contains(x[i]));
  }

  toJSON(): SpaceJSON {
    return { type: 'Tuple', spaces: this.spaces.map((s) => s.toJSON()) };
  }

  toString(): string {
    return `Tuple(${this.spaces.map((s) => s.toString()).join(', ')})`;
  }
}
