/**
 * Option parsing reports what is wrong as an error object with the option's path (issue: a thrown string
 * lost the path of nested options), and the user sees one OptionError naming owner, path and what is accepted.
 */
import { describe, expect, test } from 'vitest';
import { OptionError } from '../../core/errors.js';
import { opt, OptionProblem, parseOptions } from '../../core/options.js';

const resources = opt.custom<Record<string, number>>({}, 'an object of resource names to amounts >= 0', (v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new OptionProblem(`must be an object, got ${JSON.stringify(v)}`);
  for (const [name, amount] of Object.entries(v)) {
    if (typeof amount !== 'number' || amount < 0) throw new OptionProblem(`is ${JSON.stringify(amount)}`, [name], 'a number >= 0');
  }
  return v as Record<string, number>;
});

describe('parseOptions', () => {
  test('defaults, and a bad top-level value named with what is accepted', () => {
    expect(parseOptions('demo', {}, { n: opt.int(3, { min: 1 }) })).toEqual({ n: 3 });
    const err = (() => {
      try {
        parseOptions('demo', { n: 0 }, { n: opt.int(3, { min: 1 }) });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(OptionError);
    expect((err as OptionError).option).toBe('n');
    expect((err as OptionError).message).toBe("demo: option 'n' is 0, out of range; accepted: an integer >= 1");
  });

  test('NaN and infinities (YAML .nan, JSON 1e999) are named as such, never as null', () => {
    expect(() => parseOptions('demo', { x: NaN }, { x: opt.number(1, { min: 0 }) })).toThrow(
      "demo: option 'x' must be a finite number, got NaN",
    );
    expect(() => parseOptions('demo', { n: Infinity }, { n: opt.int(3, { min: 1 }) })).toThrow(
      "demo: option 'n' must be an integer, got Infinity",
    );
  });

  test('a nested value is reported by its path, with what is accepted there', () => {
    expect(() => parseOptions('demo', { resources: { cpu: 2, gpu: -1 } }, { resources })).toThrow(
      "demo: option 'resources.gpu' is -1; accepted: a number >= 0",
    );
    expect(new OptionProblem('is bad', ['gpu']).within('resources').path).toEqual(['resources', 'gpu']);
  });

  test('unknown names list the known ones; errors other than OptionProblem pass through', () => {
    expect(() => parseOptions('demo', { nn: 1 }, { n: opt.int(3) })).toThrow("demo: option 'nn' is not an option; accepted: one of n");
    const broken = opt.custom(0, 'anything', () => {
      throw new RangeError('a bug, not a user mistake');
    });
    expect(() => parseOptions('demo', { x: 1 }, { x: broken })).toThrow(RangeError);
  });
});
