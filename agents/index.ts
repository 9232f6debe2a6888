/**
 * Public entry of the agents: the agent contract and registry, and every registered agent.
 * Importing this module registers all of schedlab's agents.
 */
import './heuristics/random.js';
import './heuristics/batch/index.js';
import './heuristics/cluster/index.js';
import './heuristics/autoscaling/index.js';
import './heuristics/placement/index.js';
import './heuristics/capacity/index.js';
import './ppo/index.js';
import './export/exported-agent.js';
import './a2c/index.js';
import './dqn/index.js';
import './reinforce/index.js';
import './heuristics/traffic/index.js';

export * from './core/agent.js';
export * from './core/heuristic.js';
export * from './core/registry.js';
