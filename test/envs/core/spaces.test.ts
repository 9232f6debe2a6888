import { describe, expect, it } from 'vitest';
import {
  Box,
  Dict,
  Discrete,
  flatdim,
  flatten,
  flattenSpace,
  MultiBinary,
  MultiDiscrete,
  OptionError,
  spaceFromJSON,
  Tuple,
  unflatten,
  type Space,
} from '../../../envs/core/index.js';

const box = () => new Box([-1, 0, -Infinity], [1, 5, Infinity], [3], 'float32');
const intBox = () => new Box(0, 9, [2, 2], 'int32');
const discrete = () => new Discrete(4, -2);
const multiDiscrete = () => new MultiDiscrete([3, 2, 5], [0, 1, -1]);
const multiBinary = () => new MultiBinary([2, 3]);
const dict = () => new Dict({ pos: box(), job: discrete(), slots: multiBinary() });
const tuple = () => new Tuple([multiDiscrete(), dict(), new Discrete(2)]);

const all: [string, () => Space][] = [
  ['Box', box],
  ['Box int32 2x2', intBox],
  ['Discrete', discrete],
  ['MultiDiscrete', multiDiscrete],
  ['MultiBinary', multiBinary],
  ['Dict', dict],
  ['Tuple', tuple],
];

/** A value-level equality that understands typed arrays inside arrays and records. */
function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number>) };
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

describe.each(all)('%s', (_name, makeSpace) => {
  it('samples values it contains, deterministically per seed', () => {
    const a = makeSpace();
    const b = makeSpace();
    const seedsA = a.seed(7);
    expect(b.seed(7)).toEqual(seedsA);
    const drawsA = Array.from({ length: 50 }, () => a.sample());
    const drawsB = Array.from({ length: 50 }, () => b.sample());
    for (const x of drawsA) expect(a.contains(x)).toBe(true);
    expect(drawsA.map(plain)).toEqual(drawsB.map(plain));
    const c = makeSpace();
    c.seed(8);
    expect(Array.from({ length: 50 }, () => plain(c.sample()))).not.toEqual(drawsA.map(plain));
  });

  it('round-trips through JSON', () => {
    const s = makeSpace();
    const back = spaceFromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(back.constructor).toBe(s.constructor);
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(back.toString()).toBe(s.toString());
    back.seed(3);
    expect(s.contains(back.sample())).toBe(true);
  });

  it('flattens into its flat Box and back', () => {
    const s = makeSpace();
    s.seed(11);
    const flatBox = flattenSpace(s);
    expect(flatBox.shape).toEqual([flatdim(s)]);
    for (let i = 0; i < 20; i++) {
      const x = s.sample();
      const flat = flatten(s, x);
      expect(flat).toBeInstanceOf(Float32Array);
      expect(flat.length).toBe(flatdim(s));
      expect(flatBox.contains(flat)).toBe(true);
      expect(plain(unflatten(s, flat))).toEqual(plain(x));
    }
  });
});

describe('contains', () => {
  it('rejects values of the wrong shape, type or range', () => {
    expect(discrete().contains(-2)).toBe(true);
    expect(discrete().contains(2)).toBe(false);
    expect(discrete().contains(0.5)).toBe(false);
    const md = multiDiscrete();
    expect(md.contains(Int32Array.from([2, 2, 3]))).toBe(true);
    expect(md.contains(Int32Array.from([3, 1, 0]))).toBe(false); // 3 ≥ start 0 + nvec 3
    expect(md.contains(Int32Array.from([0, 0, 0]))).toBe(false); // 0 < start 1
    expect(md.contains([0, 1])).toBe(false);
    expect(md.contains(Float32Array.from([0, 1, 0]))).toBe(false);
    const mb = multiBinary();
    expect(mb.contains(Int8Array.from([0, 1, 1, 0, 0, 1]))).toBe(true);
    expect(mb.contains(Int8Array.from([0, 2, 1, 0, 0, 1]))).toBe(false);
    expect(mb.contains(Int8Array.from([0, 1]))).toBe(false);
    const d = dict();
    const v = d.sample();
    expect(d.contains({ ...v, extra: 1 })).toBe(false);
    expect(d.contains({ pos: v.pos, job: v.job })).toBe(false);
    expect(d.contains({ ...v, job: 7 })).toBe(false);
    const t = tuple();
    const tv = t.sample();
    expect(t.contains(tv.slice(0, 2))).toBe(false);
    expect(t.contains([tv[0], tv[1], 5])).toBe(false);
  });
});

describe('masked sampling (Gymnasium semantics)', () => {
  it('MultiDiscrete draws each entry among its valid values, start where none is valid', () => {
    const s = new MultiDiscrete([3, 4], [10, 0]);
    s.seed(1);
    for (let i = 0; i < 30; i++) {
      const x = s.sample([Int8Array.from([0, 1, 1]), Int8Array.from([0, 0, 0, 0])]);
      expect([11, 12]).toContain(x[0]);
      expect(x[1]).toBe(0);
    }
    const seen = new Set<number>();
    for (let i = 0; i < 60; i++)
      seen.add(
        s.sample([
          [0, 1, 1],
          [1, 1, 1, 1],
        ])[0],
      );
    expect([...seen].sort()).toEqual([11, 12]);
    expect(() =>
      s.sample([
        [1, 1],
        [1, 1, 1, 1],
      ]),
    ).toThrow(OptionError);
    expect(() =>
      s.sample([
        [1, 1, 3],
        [1, 1, 1, 1],
      ]),
    ).toThrow(/only 0 and 1/);
  });

  it('MultiBinary: 0 forces 0, 1 forces 1, 2 draws', () => {
    const s = new MultiBinary(4);
    s.seed(2);
    const draws = Array.from({ length: 40 }, () => s.sample([0, 1, 2, 2]));
    for (const x of draws) {
      expect(x[0]).toBe(0);
      expect(x[1]).toBe(1);
    }
    expect(new Set(draws.map((x) => x[2])).size).toBe(2);
    expect(() => s.sample([0, 1, 3, 2])).toThrow(/0 \(never\), 1 \(always\) or 2 \(random\)/);
  });

  it('Dict and Tuple pass masks to their children', () => {
    const d = new Dict({ a: new Discrete(5), b: new MultiBinary(2) });
    d.seed(3);
    for (let i = 0; i < 20; i++) {
      const x = d.sample({ a: [0, 0, 0, 1, 0], b: [1, 0] });
      expect(x.a).toBe(3);
      expect(Array.from(x.b as Int8Array)).toEqual([1, 0]);
    }
    expect(() => d.sample({ c: [1] })).toThrow(/unknown keys c/);
    const t = new Tuple([new Discrete(3), new Discrete(3)]);
    t.seed(4);
    expect(t.sample([[0, 0, 1], undefined])[0]).toBe(2);
  });
});

describe('composite seeding', () => {
  it('seeds children from the given seed and returns their seeds', () => {
    const t = new Tuple([new Discrete(100), new Tuple([new Discrete(100), new Discrete(100)])]);
    const seeds = t.seed(5);
    expect(seeds).toHaveLength(3);
    expect(new Set(seeds).size).toBe(3);
    // The children follow the seeds returned: seeding them directly gives the same draws.
    const a = new Discrete(100);
    a.seed(seeds[0]);
    const first = t.sample();
    expect(first[0]).toBe(a.sample());
    // Explicit per-child seeds.
    const d = new Dict({ x: new Discrete(1000), y: new Discrete(1000) });
    expect(d.seed({ x: 1, y: 2 })).toEqual([1, 2]);
    const x1 = new Discrete(1000);
    x1.seed(1);
    expect(d.sample().x).toBe(x1.sample());
    expect(() => d.seed({ x: 1 })).toThrow(/exactly the keys x, y/);
  });

  it('keeps Dict keys in insertion order', () => {
    const d = new Dict({ zeta: new Discrete(2), alpha: new Discrete(3) });
    expect(d.keys).toEqual(['zeta', 'alpha']);
    expect(Object.keys(d.toJSON().type === 'Dict' ? (d.toJSON() as { spaces: object }).spaces : {})).toEqual(['zeta', 'alpha']);
    expect(Array.from(flatten(d, { zeta: 1, alpha: 0 }))).toEqual([0, 1, 1, 0, 0]);
    expect(d.toString()).toBe("Dict('zeta': Discrete(2), 'alpha': Discrete(3))");
  });
});

describe('flatten (Gymnasium encodings)', () => {
  it('one-hot encodes Discrete and MultiDiscrete relative to start', () => {
    expect(Array.from(flatten(new Discrete(3, 5), 6))).toEqual([0, 1, 0]);
    expect(Array.from(flatten(new MultiDiscrete([2, 3], [0, 1]), [1, 3]))).toEqual([0, 1, 0, 0, 1]);
    expect(unflatten(new Discrete(3, 5), [0, 0, 1])).toBe(7);
    expect(() => unflatten(new Discrete(3), [0, 0, 0])).toThrow(/one-hot/);
  });

  it('bounds the flat Box like the space', () => {
    const fb = flattenSpace(new Tuple([new Box(-2, 3, [2]), new Discrete(2)]));
    expect(Array.from(fb.low)).toEqual([-2, -2, 0, 0]);
    expect(Array.from(fb.high)).toEqual([3, 3, 1, 1]);
    expect(() => flatten(new Discrete(2), 5)).toThrow(OptionError);
    expect(() => unflatten(new Discrete(2), [1])).toThrow(/length flatdim/);
  });

  it('prints Gymnasium-like names', () => {
    expect(new MultiDiscrete([3, 2]).toString()).toBe('MultiDiscrete([3 2])');
    expect(new MultiBinary(4).toString()).toBe('MultiBinary(4)');
    expect(new Tuple([new Discrete(2), new MultiBinary([2, 2])]).toString()).toBe('Tuple(Discrete(2), MultiBinary([2 2]))');
  });

  it('rejects malformed constructors with the option named', () => {
    expect(() => new MultiDiscrete([3, 0])).toThrow(/option 'nvec' has 0 at index 1/);
    expect(() => new MultiDiscrete([3, 2], [0])).toThrow(/option 'start'/);
    expect(() => new MultiBinary(0)).toThrow(/option 'n'/);
    // @ts-expect-error -- an unknown space type, as a hand-edited checkpoint or export could hold
    expect(() => spaceFromJSON({ type: 'Nope' })).toThrow(/Box, Discrete, MultiDiscrete, MultiBinary, Dict, Tuple/);
  });
});
