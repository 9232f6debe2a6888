import { OptionError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';

/**
 * Draws uniformly among the indices whose mask entry is 1 (Gymnasium's
 * `np_random.choice(np.where(mask == 1)[0])`); returns -1 when the mask allows none.
 * `owner` names the caller in the error for a malformed mask.
 */
export function sampleMaskedIndex(rng: Rng, mask: ArrayLike<number>, n: number, owner: string): number {
  if (!mask || typeof mask.length !== 'number' || mask.length !== n) {
    throw new OptionError('mask', `has length ${mask?.length}`, `a 0/1 array of length ${n}`, owner);
  }
  let valid = 0;
  for (let i = 0; i < n; i++) {
    const m = mask[i];
    if (m !== 0 && m !== 1) throw new OptionError('mask', `has ${m} at index ${i}`, 'only 0 and 1', owner);
    valid += m;
  }
  if (valid === 0) return -1;
  let k = rng.integers(0, valid);
  for (let i = 0; i < n; i++) {
    if (mask[i] === 1 && k-- === 0) return i;
  }
  return -1; // unreachable
}
