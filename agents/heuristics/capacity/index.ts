/** The capacity-planning baselines (CapacityPlanning-v0): peak, last-value, seasonal-naive, moving-max, empirical-newsvendor, ewma, autopilot, oracle, analytic-optimal; and ppo-train-split. */
import './planners.js';
import './ppo-train-split.js';

export { CapacityPlanner, AnalyticOptimalPlanner, autopilotPlan, ewmaPlan, seasonalNaive, purchaseDp } from './planners.js';
