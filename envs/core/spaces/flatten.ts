/**
 * Gymnasium's flatten helpers (`gymnasium.spaces.utils`): every space maps to a flat Float32Array.
 * Box and MultiBinary values are copied row-major; Discrete is one-hot over its n values and
 * MultiDiscrete the concatenation of one one-hot per entry; Tuple and Dict concatenate their
 * children (Dict in key order). Unlike Gymnasium, whose flat dtype follows the space, the flat form is
 * always float32 here (so `flattenSpace` is always a float32 Box).
 */
import { OptionError } from '../../../core/errors.js';
import { Box, type BoxValue } from './box.js';
import { Dict, type DictValue } from './dict.js';
import { Discrete } from './discrete.js';
import { MultiBinary } from './multi-binary.js';
import { MultiDiscrete } from './multi-discrete.js';
import type { Space } from './space.js';
import { Tuple } from './tuple.js';

/** The length of the flat form of a value of `space`. */
export function flatdim(space: Space): number {
  if (space instanceof Box) return space.size;
  if (space instanceof Discrete) return space.n;
  if (space instanceof MultiDiscrete) return space.nvec.reduce((a, b) => a + b, 0);
  if (space instanceof MultiBinary) return space.size;
  if (space instanceof Tuple) return space.spaces.reduce((a, s) => a + flatdim(s), 0);
  if (space instanceof Dict) return space.keys.reduce((a, k) => a + flatdim(space.spaces[k]), 0);
  throw unsupported(space, 'flatdim');
}

/** The flat form of `x`, a value of `space`. */
export function flatten(space: Space, x: unknown): Float32Array {
  const out = new Float32Array(flatdim(space));
  flattenInto(space, x, out, 0);
  return out;
}

/** Writes the flat form of `x` into `out` at `offset` (no allocation); returns the offset after it. */
export function flattenInto(space: Space, x: unknown, out: Float32Array, offset: number): number {
  if (space instanceof Box || space instanceof MultiBinary) {
    const v = x as ArrayLike<number>;
    if (!v || v.length !== space.size) throw badValue(space, x);
    if (ArrayBuffer.isView(v)) out.set(v, offset);
    else for (let i = 0; i < space.size; i++) out[offset + i] = v[i];
    return offset + space.size;
  }
  if (space instanceof Discrete) {
    if (!space.contains(x)) throw badValue(space, x);
    out.fill(0, offset, offset + space.n);
    out[offset + (x as number) - space.start] = 1;
    return offset + space.n;
  }
  if (space instanceof MultiDiscrete) {
    if (!space.contains(x)) throw badValue(space, x);
    const v = x as ArrayLike<number>;
    for (let i = 0; i < space.nvec.length; i++) {
      out.fill(0, offset, offset + space.nvec[i]);
      out[offset + v[i] - space.start[i]] = 1;
      offset += space.nvec[i];
    }
    return offset;
  }
  if (space instanceof Tuple) {
    if (!Array.isArray(x) || x.length !== space.spaces.length) throw badValue(space, x);
    space.spaces.forEach((s, i) => (offset = flattenInto(s, x[i], out, offset)));
    return offset;
  }
  if (space instanceof Dict) {
    if (!x || typeof x !== 'object') throw badValue(space, x);
    for (const k of space.keys) offset = flattenInto(space.spaces[k], (x as DictValue)[k], out, offset);
    return offset;
  }
  throw unsupported(space, 'flatten');
}

/** The value of `space` whose flat form is `flat` (the inverse of `flatten`). */
export function unflatten(space: Space, flat: ArrayLike<number>): unknown {
  if (flat.length !== flatdim(space)) {
    throw new OptionError('flat', `has length ${flat.length}`, `length flatdim(${space}) = ${flatdim(space)}`, 'unflatten');
  }
  return unflattenAt(space, flat, 0);
}

function unflattenAt(space: Space, flat: ArrayLike<number>, offset: number): unknown {
  if (space instanceof Box) {
    const out: BoxValue = (space as Box).zeros();
    for (let i = 0; i < space.size; i++) out[i] = flat[offset + i];
    return out;
  }
  if (space instanceof MultiBinary) {
    const out = new Int8Array(space.size);
    for (let i = 0; i < space.size; i++) out[i] = flat[offset + i];
    return out;
  }
  if (space instanceof Discrete) return space.start + hotIndex(flat, offset, space.n, space);
  if (space instanceof MultiDiscrete) {
    const out = new Int32Array(space.nvec.length);
    for (let i = 0; i < space.nvec.length; i++) {
      out[i] = space.start[i] + hotIndex(flat, offset, space.nvec[i], space);
      offset += space.nvec[i];
    }
    return out;
  }
  if (space instanceof Tuple) {
    return space.spaces.map((s) => {
      const v = unflattenAt(s, flat, offset);
      offset += flatdim(s);
      return v;
    });
  }
  if (space instanceof Dict) {
    const out: DictValue = {};
    for (const k of space.keys) {
      out[k] = unflattenAt(space.spaces[k], flat, offset);
      offset += flatdim(space.spaces[k]);
    }
    return out;
  }
  throw unsupported(space, 'unflatten');
}

/** The first non-zero position of a one-hot block, as Gymnasium's `np.nonzero(x)[0][0]`. */
function hotIndex(flat: ArrayLike<number>, offset: number, n: number, space: Space): number {
  for (let i = 0; i < n; i++) if (flat[offset + i] !== 0) return i;
  throw new OptionError(
    'flat',
    `has no non-zero entry in the one-hot block at ${offset}..${offset + n - 1}`,
    `a one-hot encoding of a value of ${space}`,
    'unflatten',
  );
}

/** The Box of the flat forms of `space`'s values (float32; one-hot blocks bounded by [0, 1]). */
export function flattenSpace(space: Space): Box<Float32Array> {
  const n = flatdim(space);
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  fillBounds(space, low, high, 0);
  return new Box<Float32Array>(low, high, [n], 'float32');
}

function fillBounds(space: Space, low: Float64Array, high: Float64Array, offset: number): number {
  if (space instanceof Box) {
    low.set(space.low, offset);
    high.set(space.high, offset);
    return offset + space.size;
  }
  if (space instanceof Discrete || space instanceof MultiDiscrete || space instanceof MultiBinary) {
    const n = flatdim(space);
    high.fill(1, offset, offset + n);
    return offset + n;
  }
  if (space instanceof Tuple) {
    for (const s of space.spaces) offset = fillBounds(s, low, high, offset);
    return offset;
  }
  if (space instanceof Dict) {
    for (const k of space.keys) offset = fillBounds(space.spaces[k], low, high, offset);
    return offset;
  }
  throw unsupported(space, 'flattenSpace');
}

function badValue(space: Space, x: unknown): OptionError {
  const shown = ArrayBuffer.isView(x) ? `[${Array.from(x as unknown as ArrayLike<number>).join(', ')}]` : JSON.stringify(x);
  return new OptionError('x', `is ${shown}`, `a value of ${space}`, 'flatten');
}

function unsupported(space: Space, fn: string): OptionError {
  return new OptionError('space', `is ${space}`, 'Box, Discrete, MultiDiscrete, MultiBinary, Tuple or Dict', fn);
}
