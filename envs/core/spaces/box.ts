import { OptionError } from '../../../core/errors.js';
import { isNumericArray, Space, type BoxDtype, type SpaceJSON } from './space.js';

export type BoxValue = Float32Array | Float64Array | Int32Array | Uint8Array;

const ARRAY_OF: Record<BoxDtype, new (n: number) => BoxValue> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

/**
 * A (possibly unbounded) box in R^n, values stored row-major in a typed array of the dtype.
 * Sampling as Gymnasium: uniform where bounded on both sides, exponential where bounded on one side,
 * normal where unbounded.
 */
export class Box<T extends BoxValue = BoxValue> extends Space<T> {
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly size: number;

  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], dtype: BoxDtype = 'float32') {
    const inferred = shape ?? (typeof low !== 'number' ? [low.length] : typeof high !== 'number' ? [high.length] : null);
    if (!inferred) throw new OptionError('shape', 'is required when low and high are scalars', 'an array of positive integers', 'Box');
    if (!inferred.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new OptionError('shape', `is ${JSON.stringify(inferred)}`, 'an array of non-negative integers', 'Box');
    }
    if (!(dtype in ARRAY_OF)) throw new OptionError('dtype', `is '${dtype}'`, Object.keys(ARRAY_OF).join(', '), 'Box');
    super([...inferred], dtype);
    this.size = inferred.reduce((a, b) => a * b, 1);
    this.low = broadcast(low, this.size, 'low');
    this.high = broadcast(high, this.size, 'high');
    for (let i = 0; i < this.size; i++) {
      if (Number.isNaN(this.low[i]) || Number.isNaN(this.high[i])) {
        throw new OptionError('low/high', `has NaN at index ${i}`, 'numbers or ±Infinity', 'Box');
      }
      if (this.low[i] > this.high[i]) {
        throw new OptionError('low/high', `has low ${this.low[i]} > high ${this.high[i]} at index ${i}`, 'low <= high', 'Box');
      }
    }
  }

  get boxDtype(): BoxDtype {
    return this.dtype as BoxDtype;
  }

  /** A zero-filled value of this box's dtype. */
  zeros(): T {
    return new ARRAY_OF[this.boxDtype](this.size) as T;
  }

  isBounded(manner: 'both' | 'below' | 'above' = 'both'): boolean {
    let below = true;
    let above = true;
    for (let i = 0; i < this.size; i++) {
      if (this.low[i] === -Infinity) below = false;
      if (this.high[i] === Infinity) above = false;
    }
    return manner === 'both' ? below && above : manner === 'below' ? below : above;
  }

  sample(): T {
    const rng = this.npRandom;
    const out = this.zeros();
    const integer = this.dtype === 'int32' || this.dtype === 'uint8';
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i];
      const hi = this.high[i];
      let v: number;
      if (lo > -Infinity && hi < Infinity) v = integer ? rng.integers(Math.ceil(lo), Math.floor(hi) + 1) : rng.uniform(lo, hi);
      else if (lo > -Infinity) v = lo + rng.exponential(1);
      else if (hi < Infinity) v = hi - rng.exponential(1);
      else v = rng.normal();
      out[i] = integer ? Math.floor(v) : v;
    }
    return out;
  }

  contains(x: unknown): boolean {
    if (!isNumericArray(x) || x.length !== this.size) return false;
    if (ArrayBuffer.isView(x) && !(x instanceof ARRAY_OF[this.boxDtype])) {
      // A float64 array is accepted by a float32 box only if it is representable; keep it strict on kind.
      const floatBox = this.dtype === 'float32' || this.dtype === 'float64';
      const floatValue = x instanceof Float32Array || x instanceof Float64Array;
      if (floatBox !== floatValue) return false;
    }
    // Bounds are compared in the box's precision, as numpy casts low/high to the dtype.
    const f32 = this.dtype === 'float32';
    for (let i = 0; i < this.size; i++) {
      const v = x[i];
      if (typeof v !== 'number' || Number.isNaN(v)) return false;
      const lo = f32 ? Math.fround(this.low[i]) : this.low[i];
      const hi = f32 ? Math.fround(this.high[i]) : this.high[i];
      if (v < lo || v > hi) return false;
    }
    return true;
  }

  toJSON(): SpaceJSON {
    return {
      type: 'Box',
      low: Array.from(this.low, finiteOrString),
      high: Array.from(this.high, finiteOrString),
      shape: [...this.shape!],
      dtype: this.boxDtype,
    };
  }

  toString(): string {
    const lo = uniformOrArray(this.low);
    const hi = uniformOrArray(this.high);
    return `Box(${lo}, ${hi}, (${this.shape!.join(', ')}${this.shape!.length === 1 ? ',' : ''}), ${this.dtype})`;
  }
}

function broadcast(v: number | ArrayLike<number>, size: number, name: string): Float64Array {
  const out = new Float64Array(size);
  if (typeof v === 'number') out.fill(v);
  else {
    if (v.length !== size)
      throw new OptionError(name, `has ${v.length} values`, `${size} values (the product of the shape) or one scalar`, 'Box');
    for (let i = 0; i < size; i++) out[i] = Number(v[i]);
  }
  return out;
}

// JSON has no Infinity: encode it as a large sentinel that round-trips (null would lose the sign).
function finiteOrString(v: number): number {
  return v === Infinity ? Number.MAX_VALUE : v === -Infinity ? -Number.MAX_VALUE : v;
}

export function decodeBound(v: number): number {
  return v === Number.MAX_VALUE ? Infinity : v === -Number.MAX_VALUE ? -Infinity : v;
}

function uniformOrArray(a: Float64Array): string {
  return a.every((v) => v === a[0]) ? String(a[0]) : `[${Array.from(a).join(', ')}]`;
}
