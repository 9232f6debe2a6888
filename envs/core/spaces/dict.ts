import { OptionError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import { seedChildren } from './composite-seed.js';
import { Space, type SpaceJSON } from './space.js';

export type DictValue = Record<string, unknown>;

/**
 * A record of named subspaces (Gymnasium's `Dict`). Keys keep their insertion order, which is the
 * order of `flatten`, of `seed`'s returned seeds and of the JSON form. Note: Gymnasium sorts the
 * keys of a plain dict; schedlab keeps the order as written (JavaScript puts integer-like keys first,
 * in ascending order, so avoid them where the order matters).
 */
export class Dict extends Space<DictValue> {
  readonly spaces: Readonly<Record<string, Space>>;
  readonly keys: readonly string[];
  private ownRng: Rng | undefined;

  constructor(spaces: Record<string, Space>) {
    if (!spaces || typeof spaces !== 'object' || Array.isArray(spaces)) {
      throw new OptionError('spaces', `is ${JSON.stringify(spaces)}`, 'a record of name → Space', 'Dict');
    }
    for (const [k, s] of Object.entries(spaces)) {
      if (!(s instanceof Space)) throw new OptionError(`spaces.${k}`, 'is not a Space', 'a Space instance', 'Dict');
    }
    super(null, null);
    this.spaces = Object.freeze({ ...spaces });
    this.keys = Object.freeze(Object.keys(spaces));
  }

  override get npRandom(): Rng {
    if (!this.ownRng) this.ownRng = seedChildren([], undefined, 'Dict').rng;
    return this.ownRng;
  }

  /**
   * An integer seeds every subspace from one generator (see seedChildren); a record seeds each named
   * subspace with its own seed (every key required, as Gymnasium). Returns the subspaces' seeds in key order.
   */
  override seed(seed?: number | Record<string, number>): number[] {
    if (seed !== undefined && typeof seed === 'object') {
      const missing = this.keys.filter((k) => !(k in seed));
      const extra = Object.keys(seed).filter((k) => !(k in this.spaces));
      if (missing.length || extra.length) {
        throw new OptionError(
          'seed',
          `has keys ${JSON.stringify(Object.keys(seed))}`,
          `exactly the keys ${this.keys.join(', ')}`,
          'Dict.seed',
        );
      }
      return this.keys.flatMap((k) => this.spaces[k].seed(seed[k]));
    }
    const { rng, seeds } = seedChildren(
      this.keys.map((k) => this.spaces[k]),
      seed,
      'Dict',
    );
    this.ownRng = rng;
    return seeds;
  }

  /** A value per key; `mask` is a record of per-key masks (a key missing or undefined is unmasked). */
  sample(mask?: Record<string, unknown>): DictValue {
    if (mask !== undefined && (mask === null || typeof mask !== 'object' || Array.isArray(mask))) {
      throw new OptionError('mask', `is ${JSON.stringify(mask)}`, `a record with the keys ${this.keys.join(', ')}`, 'Dict.sample');
    }
    if (mask) {
      const extra = Object.keys(mask).filter((k) => !(k in this.spaces));
      if (extra.length)
        throw new OptionError('mask', `has unknown keys ${extra.join(', ')}`, `the keys ${this.keys.join(', ')}`, 'Dict.sample');
    }
    const out: DictValue = {};
    for (const k of this.keys) out[k] = this.spaces[k].sample(mask?.[k]);
    return out;
  }

  contains(x: unknown): boolean {
    if (!x || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
    const keys = Object.keys(x);
    if (keys.length !== this.keys.length) return false;
    return this.keys.every((k) => k in x && this.spaces[k].contains((x as DictValue)[k]));
  }

  toJSON(): SpaceJSON {
    const spaces: Record<string, SpaceJSON> = {};
    for (const k of this.keys) spaces[k] = this.spaces[k].toJSON();
    return { type: 'Dict', spaces };
  }

  toString(): string {
    return `Dict(${this.keys.map((k) => `'${k}': ${this.spaces[k].toString()}`).join(', ')})`;
  }
}
