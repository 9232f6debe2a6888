/** Every benchmark case; each domain adds its file here. */
import type { BenchCase } from '../harness.js';
import { classicCases } from './classic.js';

export function allCases(): BenchCase[] {
  return [...classicCases()];
}
