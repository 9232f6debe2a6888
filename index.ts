/** schedlab: environments, agents and experiments for RL research on cluster scheduling and autoscaling. */
export * from './envs/index.js';
export * from './agents/index.js';
export { evaluate, type EvaluationResult } from './agents/core/evaluation.js';
