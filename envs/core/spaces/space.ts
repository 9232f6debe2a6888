/**
 * The space contract (Gymnasium's `gymnasium.spaces.Space`): a set of values with `sample`, `contains`,
 * `seed` and a JSON form. Each space owns its own seeded generator.
 */
import { Rng } from '../../../core/rng.js';

export type SpaceJSON =
  | { type: 'Box'; low: number[]; high: number[]; shape: number[]; dtype: BoxDtype }
  | { type: 'Discrete'; n: number; start: number }
  | { type: 'MultiDiscrete'; nvec: number[]; start: number[] }
  | { type: 'MultiBinary'; n: number | number[] }
  | { type: 'Dict'; spaces: Record<string, SpaceJSON> }
  | { type: 'Tuple'; spaces: SpaceJSON[] };

export type BoxDtype = 'float32' | 'float64' | 'int32' | 'uint8';

export abstract class Space<T = unknown> {
  private rng: Rng | undefined;

  constructor(
    /** Shape of a value (null for composite spaces). */
    readonly shape: readonly number[] | null,
    readonly dtype: string | null,
  ) {}

  /** The space's generator, created from entropy on first use when never seeded. */
  get npRandom(): Rng {
    if (!this.rng) this.rng = new Rng();
    return this.rng;
  }

  /** Seeds the space's generator; composite spaces seed their children too. Returns the seeds used. */
  seed(seed?: number): number[] {
    this.rng = new Rng(seed);
    return [this.rng.seed];
  }

  /** A random value of the space; `mask` restricts the draw where the space supports it. */
  abstract sample(mask?: unknown): T;

  /** Whether `x` is a value of the space (type, shape, dtype and bounds). */
  abstract contains(x: unknown): boolean;

  abstract toJSON(): SpaceJSON;

  /** A short human-readable form, e.g. `Discrete(6)` or `Box(0, 1, (20, 124), float32)`. */
  abstract toString(): string;

  /** Structural equality through the JSON form. */
  equals(other: Space): boolean {
    return JSON.stringify(this.toJSON()) === JSON.stringify(other.toJSON());
  }
}

export function isIntegerLike(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}

export type ArrayLikeNumbers = ArrayLike<number>;

export function isNumericArray(x: unknown): x is ArrayLikeNumbers {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}
