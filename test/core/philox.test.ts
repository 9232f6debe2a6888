/**
 * Philox4x32-10 against the Random123 known-answer vectors (kat_vectors, "philox4x32 10" lines), and the
 * TensorFlow multinomial built on it: a sampled TensorFlow policy replays exactly only if every bit of the
 * generator, the counter skips and the uniform conversion is TensorFlow's.
 */
import { describe, expect, test } from 'vitest';
import { philox4x32, TfMultinomial, tfUint64ToDouble } from '../../core/philox.js';

const hex = (words: Uint32Array) => Array.from(words, (w) => w.toString(16).padStart(8, '0')).join(' ');

describe('Philox4x32-10', () => {
  test.each([
    ['00000000 00000000 00000000 00000000', '00000000 00000000', '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
    ['ffffffff ffffffff ffffffff ffffffff', 'ffffffff ffffffff', '408f276d 41c83b0e a20bc7c6 6d5451fd'],
    ['243f6a88 85a308d3 13198a2e 03707344', 'a4093822 299f31d0', 'd16cfe09 94fdcceb 5001e420 24126ea1'],
  ])('Random123 known answer: counter %s, key %s', (counter, key, expected) => {
    const words = (s: string) => s.split(' ').map((w) => parseInt(w, 16));
    expect(hex(philox4x32(words(counter), words(key)))).toBe(expected);
  });
});

describe("TensorFlow's multinomial", () => {
  test('Uint64ToDouble keeps 52 bits: 0 for zero words, just below 1 for all ones', () => {
    expect(tfUint64ToDouble(0, 0)).toBe(0);
    expect(tfUint64ToDouble(0xffffffff, 0xffffffff)).toBe(1 - 2 ** -52);
    expect(tfUint64ToDouble(0x00080000, 0)).toBe(0.5);
  });

  test('each call draws from the block at the current counter, then skips 2048 blocks', () => {
    const sampler = new TfMultinomial(4, 178);
    const first = philox4x32([0, 0, 178, 0], [4, 0]);
    const second = philox4x32([2048, 0, 178, 0], [4, 0]);
    expect(sampler.nextUniform()).toBe(tfUint64ToDouble(first[0], first[1]));
    expect(sampler.nextUniform()).toBe(tfUint64ToDouble(second[0], second[1]));
    expect(sampler.state().counter).toEqual([4096, 0, 178, 0]);
  });

  test('the counter carries from the low 64 bits into the high ones', () => {
    const sampler = TfMultinomial.fromState({ key: [1, 2], counter: [0xfffff800, 0xffffffff, 7, 0] });
    sampler.nextUniform();
    expect(sampler.state().counter).toEqual([0, 0, 8, 0]);
  });

  test('sampling follows the cdf: a dominant logit always wins, masked logits never', () => {
    const sampler = new TfMultinomial(0, 178);
    for (let i = 0; i < 50; i++) expect(sampler.sample([0, 40, 0])).toBe(1);
    const masked = Float32Array.of(0.3 - 1e6, 0.1, 0.2 - 1e6, -0.4);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(sampler.sample(masked));
    expect([...seen].sort()).toEqual([1, 3]);
  });

  test('the sample frequencies match the softmax (a seeded stream, so the counts are fixed)', () => {
    const sampler = new TfMultinomial(7, 1);
    const logits = [Math.log(0.2), Math.log(0.5), Math.log(0.3)];
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampler.sample(logits)]++;
    expect(counts.map((c) => c / 20000).map((p, i) => Math.abs(p - [0.2, 0.5, 0.3][i]) < 0.015)).toEqual([true, true, true]);
  });
});
