export * from './check-env.js';
export { dataEquivalence, firstDifference } from './equivalence.js';
