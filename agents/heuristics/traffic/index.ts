/** The WAN traffic-engineering baselines (WanTrafficEngineering-v0): shortest-path, ecmp, uniform-k, oracle, prev-lp, avg-lp, max-lp; and ppo-train-split. */
import './baselines.js';
import './ppo-train-split.js';

export { TrafficBaseline, supportsTraffic, shortestPathWeights, uniformWeights, ecmpWeights } from './baselines.js';
