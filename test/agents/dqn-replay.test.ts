import { describe, expect, test } from 'vitest';
import { ReplayBuffer } from '../../agents/core/replay-buffer.js';
import { linearSchedule } from '../../agents/core/schedules.js';
import { Rng } from '../../core/rng.js';

const row = (v: number) => Float32Array.of(v, v + 0.5);

describe('replay buffer', () => {
  test('grows as it fills, then overwrites the oldest transitions (a ring of bufferSize)', () => {
    const buf = new ReplayBuffer({ bufferSize: 3000, obsSize: 2, maskSize: 3 });
    for (let i = 0; i < 3500; i++) buf.add(row(i), i % 3, i, row(i + 1), i % 7 === 0, Uint8Array.of(1, 0, i % 2));
    expect(buf.size).toBe(3000);
    expect(buf.pos).toBe(500);
    // Row 0 now holds transition 3000, row 500 still transition 500 (the oldest left).
    expect(buf.rewards[0]).toBe(3000);
    expect(buf.rewards[500]).toBe(500);
    expect(Array.from(buf.obs.subarray(1000, 1002))).toEqual([500, 500.5]);
    expect(Array.from(buf.nextObs.subarray(1000, 1002))).toEqual([501, 501.5]);
    expect([buf.terminated[700], buf.terminated[701], buf.terminated[0]]).toEqual([1, 0, 0]);
    expect(Array.from(buf.nextMasks.subarray(3, 6))).toEqual([1, 0, 1]);
  });

  test('samples uniformly with replacement from the seeded Rng, the same for the same state', () => {
    const buf = new ReplayBuffer({ bufferSize: 100, obsSize: 2, maskSize: 0 });
    for (let i = 0; i < 50; i++) buf.add(row(i), 0, i, row(i), false);
    const a = buf.sample(5000, new Rng(1));
    const b = buf.sample(5000, new Rng(1));
    expect(Array.from(a.rewards)).toEqual(Array.from(b.rewards));
    expect(a.rewards.every((r) => r >= 0 && r < 50)).toBe(true);
    for (let i = 0; i < 5000; i++) expect(a.obs[2 * i]).toBe(a.rewards[i]);
    const m = a.rewards.reduce((s, r) => s + r, 0) / 5000;
    expect(m).toBeGreaterThan(22.5);
    expect(m).toBeLessThan(26.5);
  });

  test('round-trips through checkpoint tensors, write position included', () => {
    const buf = new ReplayBuffer({ bufferSize: 40, obsSize: 2, maskSize: 2 });
    for (let i = 0; i < 55; i++) buf.add(row(i), i % 2, -i, row(i + 1), i % 5 === 0, Uint8Array.of(1, i % 2));
    const copy = new ReplayBuffer({ bufferSize: 40, obsSize: 2, maskSize: 2 });
    copy.fromTensors(buf.toTensors(), buf.pos);
    expect([copy.size, copy.pos]).toEqual([40, 15]);
    for (const k of ['obs', 'nextObs', 'actions', 'rewards', 'terminated', 'nextMasks'] as const) {
      expect(Array.from(copy[k].subarray(0, buf[k].length))).toEqual(Array.from(buf[k].subarray(0, buf[k].length)));
    }
    copy.add(row(99), 1, 99, row(100), false, Uint8Array.of(1, 1));
    expect(copy.rewards[15]).toBe(99);
  });
});

describe('linear schedule', () => {
  test('moves from start to end over the first fraction of training, then stays (SB3 get_linear_fn)', () => {
    expect(linearSchedule(1, 0.05, 0.1, 0)).toBe(1);
    expect(linearSchedule(1, 0.05, 0.1, 0.05)).toBeCloseTo(0.525, 12);
    expect(linearSchedule(1, 0.05, 0.1, 0.1)).toBe(0.05);
    expect(linearSchedule(1, 0.05, 0.1, 0.7)).toBe(0.05);
    expect(linearSchedule(1, 0.05, 0, 0)).toBe(0.05);
  });
});
