import { describe, expect, it } from 'vitest';
import { firstDifference } from '../../core/json-difference.js';

describe('firstDifference', () => {
  it('names the first differing path with both values, short', () => {
    const box = (n: number, high: number) => ({
      type: 'Box',
      shape: [n],
      low: Array(n).fill(0),
      high: Array(n).fill(high),
      dtype: 'float32',
    });
    expect(firstDifference(box(4, 1), box(4, 1))).toBeUndefined();
    expect(firstDifference(box(4, 1), box(4, 2))).toEqual({ path: 'high[0]', a: '1', b: '2' });
    // Different lengths: the shape first (keys in order), long arrays as their length and first elements.
    expect(firstDifference(box(1024, 1), box(512, 1))).toEqual({
      path: 'high',
      a: '1024 values [1, 1, 1, 1, …]',
      b: '512 values [1, 1, 1, 1, …]',
    });
    expect(firstDifference({ n: 4 }, { n: 2, start: 0 })).toEqual({ path: 'n', a: '4', b: '2' });
    expect(firstDifference({ n: 4 }, { n: 4, start: 0 })).toEqual({ path: 'start', a: 'nothing', b: '0' });
    // A long scalar text is cut at a comma, never inside a number.
    const long = { v: 'x'.repeat(10) + ',' + '1234567890,'.repeat(20) };
    const d = firstDifference(long, { v: 'y' })!;
    expect(d.a.endsWith(', …') || d.a.endsWith(',…') || d.a.endsWith(' …')).toBe(true);
    expect(d.a).not.toMatch(/\d …$/);
  });
});
