import { OptionError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import type { Space } from './space.js';

/**
 * Seeds the children of a composite space as Gymnasium 1.x does: an integer seed seeds the parent's
 * generator, which draws one seed per child; no seed seeds every child from entropy. Returns the
 * children's seeds concatenated in child order (Gymnasium returns them nested in a tuple/dict).
 */
export function seedChildren(children: readonly Space[], seed: number | undefined, owner: string): { rng: Rng; seeds: number[] } {
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) {
    throw new OptionError('seed', `is ${seed}`, 'a non-negative integer', `${owner}.seed`);
  }
  const rng = new Rng(seed);
  const seeds: number[] = [];
  for (const child of children) seeds.push(...child.seed(seed === undefined ? undefined : rng.nextSeed()));
  return { rng, seeds };
}
